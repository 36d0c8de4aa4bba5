# Hypervisor objects under xsm/ (paths relative to the top).
