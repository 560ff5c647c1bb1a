/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: a log ring (for `xm dmesg`) plus the serial ports
 * and VGA selected by console=.  Lines get Xen's "(XEN) " prefix so logs
 * look the way Xen users and their scripts expect.
 */
#include <stdarg.h>
#include <xeno/console.h>
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/param.h>
#include <xeno/serial.h>
#include <xeno/spinlock.h>
#include <xeno/pv.h>
#include <xeno/sched.h>

static struct ns16550 uarts[2] = {
    { .io_base = 0x3f8, .baud = 115200, .data_bits = 8, .parity = 'n', .stop_bits = 1, .irq = 4 },
    { .io_base = 0x2f8, .baud = 115200, .data_bits = 8, .parity = 'n', .stop_bits = 1, .irq = 3 },
};
static bool use_uart[2] = { true, false };
static bool use_vga;

static char opt_console[64] = "com1,vga";
string_param("console", opt_console);

static int parse_com(int n, const char *v)
{
    return v ? ns16550_parse(v, &uarts[n]) : -EINVAL;
}
static int parse_com1(const char *v) { return parse_com(0, v); }
static int parse_com2(const char *v) { return parse_com(1, v); }
custom_param("com1", parse_com1);
custom_param("com2", parse_com2);

/* Xen's levels: 0 error, 1 warning, 2 info, 3 debug; "<N>" prefixes pick them. */
static int loglvl_lower = 1, guest_loglvl_lower = 1;

static int parse_level(const char *s, int *out)
{
    static const char *const names[] = { "error", "warning", "info", "debug", "all" };
    size_t n = strchr(s, '/') ? (size_t)(strchr(s, '/') - s) : strlen(s);
    if (n == 4 && !strncmp(s, "none", 4)) {
        *out = -1;
        return 0;
    }
    for (int i = 0; i < (int)ARRAY_SIZE(names); i++)
        if (strlen(names[i]) == n && !strncmp(s, names[i], n)) {
            *out = i;
            return 0;
        }
    return -EINVAL;
}

static int parse_loglvl_into(const char *v, int *lower)
{
    int lvl, upper;
    if (!v || parse_level(v, &lvl))
        return -EINVAL;
    const char *slash = strchr(v, '/');
    if (slash && parse_level(slash + 1, &upper))
        return -EINVAL;
    *lower = lvl;   /* rate-limited upper level: accepted, we do not rate-limit */
    return 0;
}
static int parse_loglvl(const char *v) { return parse_loglvl_into(v, &loglvl_lower); }
static int parse_guest_loglvl(const char *v) { return parse_loglvl_into(v, &guest_loglvl_lower); }
custom_param("loglvl", parse_loglvl);
custom_param("guest_loglvl", parse_guest_loglvl);

static bool opt_sync_console;
boolean_param("sync_console", opt_sync_console);   /* always synchronous here */

#define CONRING_SIZE (64u << 10)
static uint64_t opt_conring_size = CONRING_SIZE;
size_param("conring_size", opt_conring_size);

static char conring[CONRING_SIZE];
static uint64_t conring_head;           /* total bytes ever written */
static spinlock_t console_lock = SPIN_LOCK_UNLOCKED;
static bool at_line_start = true;

static void ring_put(char c)
{
    conring[conring_head++ % CONRING_SIZE] = c;
}

static void devices_put(char c)
{
    for (int i = 0; i < 2; i++)
        if (use_uart[i]) {
            if (c == '\n')
                ns16550_putc(&uarts[i], '\r');
            ns16550_putc(&uarts[i], c);
        }
    if (use_vga)
        vga_putc(c);
}

void console_init_early(void)
{
    ns16550_init(&uarts[0]);
}

void console_init_postparse(void)
{
    const char *p = opt_console;
    bool want[2] = { false, false }, vga = false;

    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 4 && !strncmp(p, "com1", 4)) want[0] = true;
        else if (n == 4 && !strncmp(p, "com2", 4)) want[1] = true;
        else if (n == 3 && !strncmp(p, "vga", 3)) vga = true;
        else if (n == 4 && !strncmp(p, "none", 4)) ;
        else printk(XENLOG_WARNING "console: unknown device '%.*s' ignored\n", (int)n, p);
        p += n + (e ? 1 : 0);
    }
    for (int i = 0; i < 2; i++) {
        if (want[i])
            ns16550_init(&uarts[i]);
        use_uart[i] = want[i] && uarts[i].present;
    }
    if (vga) {
        vga_init();
        use_vga = true;
    }
    if (opt_conring_size != CONRING_SIZE)
        printk(XENLOG_WARNING "console: conring_size=%lu not supported, ring is %u KiB\n",
               (unsigned long)opt_conring_size, CONRING_SIZE >> 10);
}

static void emit(const char *s, size_t len, bool prefix, bool to_devices)
{
    for (size_t i = 0; i < len; i++) {
        if (prefix && at_line_start) {
            for (const char *x = "(XEN) "; *x; x++) {
                ring_put(*x);
                if (to_devices)
                    devices_put(*x);
            }
        }
        ring_put(s[i]);
        if (to_devices)
            devices_put(s[i]);
        at_line_start = s[i] == '\n';
    }
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int level = 1;

    if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '3' && fmt[2] == '>') {
        level = fmt[1] - '0';
        fmt += 3;
    }
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;

    unsigned long flags = spin_lock_irqsave(&console_lock);
    emit(buf, n, true, level <= loglvl_lower);
    spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void console_write_raw(const char *s, size_t len)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    emit(s, len, false, true);
    spin_unlock_irqrestore(&console_lock, flags);
}

int console_getc(void)
{
    for (int i = 0; i < 2; i++)
        if (use_uart[i]) {
            int c = ns16550_getc(&uarts[i]);
            if (c >= 0)
                return c;
        }
    return -1;
}

void console_force_unlock(void)
{
    spin_lock_init(&console_lock);
}

uint64_t console_ring_head(void)
{
    return __atomic_load_n(&conring_head, __ATOMIC_ACQUIRE);
}

size_t console_ring_read(char *buf, size_t len, uint64_t *pos)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    uint64_t oldest = conring_head > CONRING_SIZE ? conring_head - CONRING_SIZE : 0;
    if (*pos < oldest)
        *pos = oldest;
    size_t n = 0;
    while (n < len && *pos < conring_head)
        buf[n++] = conring[(*pos)++ % CONRING_SIZE];
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}

/*
 * Serial input, as on Xen: it belongs to dom0 (read with CONSOLEIO_read
 * after VIRQ_CONSOLE) until Ctrl-A is typed three times, which switches it
 * to the hypervisor's debug keys and back.  Without a dom0 it is ours.
 */
#define RX_SIZE 1024
static char rx_ring[RX_SIZE];
static unsigned int rx_prod, rx_cons;
static bool input_to_xen;
static char key_ring[64];
volatile unsigned int console_key_prod, console_key_cons;
#define key_prod console_key_prod
#define key_cons console_key_cons

void console_run_pending_keys(void)
{
    while (key_cons != key_prod)
        handle_keypress((unsigned char)key_ring[key_cons++ % sizeof(key_ring)]);
}
static unsigned int ctrl_a_count;

int console_getc_for_guest(void)
{
    unsigned long f = spin_lock_irqsave(&console_lock);
    int c = -1;
    if (rx_cons != rx_prod)
        c = (unsigned char)rx_ring[rx_cons++ % RX_SIZE];
    spin_unlock_irqrestore(&console_lock, f);
    return c;
}

void console_poll_input(void)
{
    int c;
    bool queued = false;
    while ((c = console_getc()) >= 0) {
        if (c == 0x01) {
            if (++ctrl_a_count == 3) {
                ctrl_a_count = 0;
                input_to_xen = !input_to_xen;
                printk("*** Serial input to %s (type 'CTRL-a' three times to switch input)\n",
                       input_to_xen || !dom0 ? "Xen" : "DOM0");
            }
            continue;
        }
        ctrl_a_count = 0;
        if (input_to_xen || !dom0 || dom0->is_shutdown) {
            /* Run later, outside interrupt context: a handler may take
             * locks the interrupted code holds. */
            if (key_prod - key_cons < sizeof(key_ring))
                key_ring[key_prod++ % sizeof(key_ring)] = (char)c;
            continue;
        }
        unsigned long f = spin_lock_irqsave(&console_lock);
        if (rx_prod - rx_cons < RX_SIZE) {
            rx_ring[rx_prod++ % RX_SIZE] = (char)c;
            queued = true;
        }
        spin_unlock_irqrestore(&console_lock, f);
    }
    /* Input typed before dom0 bound VIRQ_CONSOLE would otherwise sit
     * unread: keep nudging (every 64 ticks) while some is waiting. */
    static unsigned int nudge;
    if (queued || (rx_cons != rx_prod && dom0 && !(++nudge & 63)))
        pv_send_virq(dom0->vcpus[0], VIRQ_CONSOLE);
}

void console_write_guest(uint16_t domid, const char *s, size_t len)
{
    /* One prefix per line; per-domain line state so interleaved domains
     * still get their tags. */
    static bool line_start[64] = { [0 ... 63] = true };
    bool *ls = &line_start[domid % 64];
    char tag[12];
    int tl = snprintf(tag, sizeof(tag), "(d%u) ", domid);
    unsigned long flags = spin_lock_irqsave(&console_lock);
    for (size_t i = 0; i < len; i++) {
        if (*ls)
            emit(tag, tl, false, true);
        emit(&s[i], 1, false, true);
        *ls = s[i] == '\n';
    }
    spin_unlock_irqrestore(&console_lock, flags);
}
