/*
 * keel-ctrl: console input and line editing.  Keel passes serial input
 * to dom0 when switched to it (Ctrl-A three times) through CONSOLEIO_read,
 * which never blocks, and raises VIRQ_CONSOLE; the prompt reads whenever
 * any event (or a 200 ms timeout) wakes it, serving the domains meanwhile.  Line editing is what a serial
 * terminal needs: echo, backspace (DEL or ^H), ^U to clear the line, ^C
 * to abandon it; other control bytes and escape sequences are dropped.
 */
#include "ctrldom.h"

/* Input raises VIRQ_CONSOLE, which ends the wait early; the timeout is
 * the fallback. */
#define POLL_NS 200000000ULL

size_t ctrl_input(char *buf, size_t len)
{
    long n = HYPERVISOR_console_io(CONSOLEIO_read, (int)len, buf);

    return n > 0 ? (size_t)n : 0;
}

void ctrl_write(const char *s, size_t len)
{
    pv_console_write(s, len);
}

static void erase(size_t n)
{
    while ( n-- )
        ctrl_write("\b \b", 3);
}

void ctrl_readline(const char *prompt, char *line, size_t len)
{
    size_t used = 0, n, i;
    char buf[64];
    bool in_escape = false;

    ctrl_write(prompt, strlen(prompt));
    for ( ; ; )
    {
        if ( (n = ctrl_input(buf, sizeof(buf))) == 0 )
        {
            ctrl_service();
            ctrl_wait(POLL_NS);
            continue;
        }
        for ( i = 0; i < n; i++ )
        {
            char c = buf[i];

            if ( in_escape )
            {
                /* ESC [ ... final byte (letters, ~) */
                if ( (c >= '@' && c <= '~') && c != '[' )
                    in_escape = false;
                continue;
            }
            switch ( c )
            {
            case '\r':
            case '\n':
                ctrl_write("\r\n", 2);
                line[used] = '\0';
                return;
            case 0x7f:
            case '\b':
                if ( used )
                {
                    used--;
                    erase(1);
                }
                break;
            case 0x15:                  /* ^U */
                erase(used);
                used = 0;
                break;
            case 0x03:                  /* ^C */
                ctrl_write("^C\r\n", 4);
                ctrl_write(prompt, strlen(prompt));
                used = 0;
                break;
            case 0x1b:
                in_escape = true;
                break;
            default:
                if ( (unsigned char)c >= 0x20 && used + 1 < len )
                {
                    line[used++] = c;
                    ctrl_write(&c, 1);
                }
                break;
            }
        }
    }
}
