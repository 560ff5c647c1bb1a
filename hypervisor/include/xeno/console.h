/* SPDX-License-Identifier: MIT */
#ifndef XENO_CONSOLE_H
#define XENO_CONSOLE_H

#include <xeno/types.h>

/* Bring up COM1 with defaults so the very first messages are visible. */
void console_init_early(void);
/* Apply console=, com1=, com2=, loglvl= once the command line is parsed. */
void console_init_postparse(void);
/* Write raw bytes (guest console output later); no prefix, no level filter. */
void console_write_raw(const char *s, size_t len);
/* Output of an unprivileged domain: lines prefixed "(dN) ". */
void console_write_guest(uint16_t domid, const char *s, size_t len);
/* Poll the serial input; -1 if nothing waiting. */
int console_getc(void);
/* Serial input meant for dom0 (CONSOLEIO_read); -1 if none. */
int console_getc_for_guest(void);
/* Poll the serial line (boot CPU's tick): bytes go to dom0 (VIRQ_CONSOLE)
 * or, after three Ctrl-A, to the hypervisor's debug keys. */
void console_poll_input(void);
/* Run debug keys typed so far (boot CPU, from the idle loop and the exit path). */
void console_run_pending_keys(void);
extern volatile unsigned int console_key_prod, console_key_cons;
static inline bool console_keys_pending(void) { return console_key_prod != console_key_cons; }
/* A debug key (common/idle.c). */
void handle_keypress(int c);
/* Panic path: take the console even if another CPU holds its lock. */
void console_force_unlock(void);
/*
 * Copy the log ring (what `xm dmesg` shows) starting at *pos, a running byte
 * index; returns bytes copied and advances *pos.  Data older than the ring
 * size is gone, in which case copying restarts at the oldest byte kept.
 */
size_t console_ring_read(char *buf, size_t len, uint64_t *pos);
uint64_t console_ring_head(void);

#endif
