/* term.h - raw mode for an interactive console, restored on every exit path
 * (normal return, exit(), fatal signals). Frontend only: it keeps the saved
 * terminal state in file-scope variables, which the core must never do. */
#ifndef MACHINA_FRONTEND_TERM_H
#define MACHINA_FRONTEND_TERM_H

/* put fd (a terminal) in raw mode; no-op when fd is not a terminal */
void term_raw(int fd);
void term_restore(void);

#endif
