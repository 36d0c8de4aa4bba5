/*
 * XSM: the policy check every privileged operation makes before any side
 * effect.  This header has the default policy (dom0 controls everything,
 * a domain acts only on itself); the SILO policy and per-operation hooks
 * with their own names arrive with domain control.
 *
 * Each hook returns 0 (allowed) or -EPERM.
 */
#ifndef XSM_XSM_H
#define XSM_XSM_H

#include <keel/domain.h>
#include <keel/errno.h>

enum xsm_default {
    XSM_HOOK,       /* anyone: no check beyond the handler's own */
    XSM_TARGET,     /* the domain itself, or a privileged domain */
    XSM_PRIV,       /* only a privileged domain (dom0) */
};

static inline int xsm_default_action(enum xsm_default action,
                                     const struct domain *src,
                                     const struct domain *target)
{
    switch ( action )
    {
    case XSM_HOOK:
        return 0;
    case XSM_TARGET:
        if ( src == target )
            return 0;
        /* fall through */
    case XSM_PRIV:
        return src->is_privileged ? 0 : -EPERM;
    }
    return -EPERM;
}

#endif /* XSM_XSM_H */
