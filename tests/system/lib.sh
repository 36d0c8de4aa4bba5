# tests/system/lib.sh: shared helpers for the system tests and tests/run-guest.
# Source it from bash; it sets no shell options of its own.
#
# One QEMU at a time per shell: qemu_start records the PID of the QEMU it
# started, and qemu_stop ends exactly that process (SIGTERM, then SIGKILL
# after a grace period).  Nothing here looks processes up by name.
#
#   qemu_start LOG QEMU-ARGS...   start QEMU (TCG, no display, no reboot),
#                                 COM1 to LOG, COM1 input from a FIFO
#   qemu_send TEXT                type TEXT on COM1
#   qemu_wait REGEX SECONDS       wait until a line of LOG matches REGEX
#                                 (grep -E); 0 = seen, 1 = QEMU exited
#                                 first, 2 = timed out
#   qemu_stop                     stop QEMU (if running) and clean up
#
# The test-output helpers print the lines tests/run-tests counts:
#   pass NAME, fail NAME REASON, check_log NAME REGEX [REASON],
#   check_log_fixed NAME STRING [REASON], check_no_log NAME REGEX [REASON],
#   count_log REGEX, log_line REGEX; all read the log through log_text,
#   which drops the console's line prefix, so patterns may use ^.

KEEL_ROOT=${KEEL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${BUILD:-$KEEL_ROOT/build}
TEST_DIR=${TEST_DIR:-$BUILD/test}
QEMU=${QEMU:-qemu-system-x86_64}
# Seconds a boot may take under TCG before a test gives up on it.
BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}
# Seconds between SIGTERM and SIGKILL in qemu_stop.
QEMU_GRACE=${QEMU_GRACE:-5}

QEMU_PID=
QEMU_LOG=
QEMU_FIFO=
QEMU_FD=

qemu_start() {
    local log=$1
    shift
    if [[ -n $QEMU_PID ]]; then
        echo "qemu_start: a QEMU (pid $QEMU_PID) is already running" >&2
        return 1
    fi
    mkdir -p "$(dirname "$log")"
    : > "$log"
    QEMU_LOG=$log
    QEMU_FIFO=$log.in
    rm -f "$QEMU_FIFO"
    mkfifo "$QEMU_FIFO"
    # Open the FIFO read-write first so that QEMU's open for reading does
    # not block and QEMU never sees end-of-file on its serial input.
    exec {QEMU_FD}<>"$QEMU_FIFO"
    # COM1 is QEMU's stdio: input from the FIFO, output straight to LOG.
    # QEMU's own messages go to LOG.qemu.  Our FIFO descriptor is closed in
    # QEMU so that only this shell holds the writing end.
    "$QEMU" -accel tcg -display none -monitor none -no-reboot -nic none \
        -serial stdio "$@" \
        < "$QEMU_FIFO" > "$log" 2> "$log.qemu" {QEMU_FD}>&- &
    QEMU_PID=$!
    trap qemu_stop EXIT
    trap 'qemu_stop; exit 130' INT
    trap 'qemu_stop; exit 143' TERM
}

qemu_running() {
    [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null
}

qemu_send() {
    printf '%s' "$1" >&"$QEMU_FD"
}

qemu_wait() {
    local regex=$1 timeout=$2 deadline
    deadline=$((SECONDS + timeout))
    while :; do
        grep -Eq -- "$regex" "$QEMU_LOG" && return 0
        if ! qemu_running; then
            # It may have written the line just before it exited.
            grep -Eq -- "$regex" "$QEMU_LOG" && return 0
            return 1
        fi
        ((SECONDS < deadline)) || return 2
        sleep 0.2
    done
}

qemu_stop() {
    local i
    if [[ -n $QEMU_PID ]]; then
        if kill -0 "$QEMU_PID" 2>/dev/null; then
            kill "$QEMU_PID" 2>/dev/null || true
            for ((i = 0; i < QEMU_GRACE * 10; i++)); do
                kill -0 "$QEMU_PID" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$QEMU_PID" 2>/dev/null || true
        fi
        wait "$QEMU_PID" 2>/dev/null || true
        QEMU_PID=
    fi
    if [[ -n $QEMU_FD ]]; then
        exec {QEMU_FD}>&-
        QEMU_FD=
    fi
    [[ -n $QEMU_FIFO ]] && rm -f "$QEMU_FIFO"
    QEMU_FIFO=
    return 0
}

# Describe why qemu_wait gave up (its status in $1) for a failure reason.
wait_reason() {
    case $1 in
        1) echo "QEMU exited first (see $QEMU_LOG, $QEMU_LOG.qemu)" ;;
        2) echo "timed out (see $QEMU_LOG)" ;;
        *) echo "status $1" ;;
    esac
}

# ---- reading the log -----------------------------------------------------

# log_text [LOG]: the serial log (default: the current one) as plain lines:
# no carriage returns, no terminal escapes (GRUB's menu), and no console
# line prefix such as "(KEEL) " or timestamp "[    1.234567] ", so that
# tests can anchor their patterns at the start of a message.
log_text() {
    sed -E -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' \
        -e 's/^\([A-Z0-9]+\) //' -e 's/^\[[ 0-9][^]<]*\] //' "${1:-$QEMU_LOG}"
}

# ---- test output --------------------------------------------------------

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1: $2"; }

# check_log NAME REGEX [REASON]: pass if a line of the current log matches.
check_log() {
    if grep -Eq -- "$2" <(log_text); then
        pass "$1"
    else
        fail "$1" "${3:-no line matching /$2/ in $QEMU_LOG}"
    fi
}

# check_log_fixed NAME STRING [REASON]: pass if a line holds STRING.
check_log_fixed() {
    if grep -Fq -- "$2" <(log_text); then
        pass "$1"
    else
        fail "$1" "${3:-no line holding \"$2\" in $QEMU_LOG}"
    fi
}

# check_no_log NAME REGEX [REASON]: pass if no line of the log matches.
check_no_log() {
    local line
    if line=$(grep -Em1 -- "$2" <(log_text)); then
        fail "$1" "${3:-unexpected line in $QEMU_LOG: $line}"
    else
        pass "$1"
    fi
}

# count_log REGEX: the number of lines of the current log matching REGEX.
count_log() {
    grep -Ec -- "$1" <(log_text) || true
}

# log_line REGEX: the first line of the current log matching REGEX.
log_line() {
    grep -Em1 -- "$1" <(log_text) || true
}
