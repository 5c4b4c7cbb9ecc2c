/*
 * libpaneld's private header, shared by paneld.c (the public API) and paneld_wire.c (the wire).
 * Not installed, not part of the API: programs include paneld.h only.
 *
 * Symbols: the little-endian and cursor helpers are static inline; the functions one file calls
 * in the other are named paneld__* and have hidden visibility, so libpaneld.so exports exactly
 * the functions of paneld.h and libpaneld.a puts nothing in a program's namespace beyond the
 * paneld_ and paneld__ prefixes.
 */
#ifndef PANELD_INTERNAL_H
#define PANELD_INTERNAL_H

#include "paneld.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define PANELD__HIDDEN __attribute__((visibility("hidden")))
#define PANELD__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PANELD__HIDDEN
#define PANELD__PRINTF(f, a)
#endif

enum {
    T_HELLO = 0x0001, T_LIST = 0x0002, T_INFO = 0x0003, T_OPEN = 0x0004, T_CLOSE = 0x0005, T_CREATE = 0x0006,
    T_DESTROY = 0x0007, T_WRITE = 0x0008, T_FLUSH = 0x0009, T_FLIP = 0x000A, T_SETPROP = 0x000B,
    T_SUBSCRIBE = 0x000C, T_ACQUIRE = 0x000D, T_RELEASE = 0x000E, T_FD_READY = 0x000F,
    T_FD_RECEIVED = 0x0010, T_ADMIN_BIND = 0x0021, T_ADMIN_UNBIND = 0x0022, T_ADMIN_UNPLUG = 0x0023,
    T_ADMIN_REPLUG = 0x0024, T_ADMIN_SNAPSHOT = 0x0025, T_ADMIN_TOUCH = 0x0026,
    T_ADMIN_CALIBRATE = 0x0027, T_REPLY = 0x8000, T_ERROR = 0x7FFF
};

#define MAGIC 0x444C4E50u
#define EVENT_QUEUE 256
#define MSG_LEN 256
#define PANELD_MAX_IN_FLIGHT 16
#define SERVER_MAX_FRAME (64u * 1024u * 1024u + 64u)

struct paneld_client {
    int fd;
    int tcp;
    uint32_t next_id;
    uint32_t server_flags;
    uint32_t max_frame, max_rects;
    paneld_session *sessions;
    /* read side: buffered bytes, then the current frame's payload */
    unsigned char rbuf[65536];
    size_t rpos, rlen;
    unsigned char *payload;
    size_t payload_cap;
    /* events read while waiting for replies */
    paneld_event events[EVENT_QUEUE];
    int ev_head, ev_count;
    /* scratch for requests */
    unsigned char *wbuf;
    size_t wbuf_cap;
    /* requests sent by paneld_flush_async whose answers have not all come */
    struct pending {
        uint32_t first, last; /* the request ids of the group (WRITEs then the FLUSH) */
        uint32_t left;        /* answers still to come */
        int used;             /* from paneld_flush_async to paneld_wait */
        int result;           /* the first error among the answers, or 0 */
        char msg[MSG_LEN];
    } pending[PANELD_MAX_IN_FLIGHT];
    int touch_abi; /* the program subscribed to touch once: it knows paneld_event.touch (1.1 header) */
    int broken; /* the stream is out of step or closed: every call fails */
    int err;
    char msg[MSG_LEN];
};

/* a frame as read: type, id, payload (valid until the next read) */
typedef struct {
    uint16_t type;
    uint32_t id;
    const unsigned char *p;
    size_t n;
} frame;

/* ------------------------------------------------------------------ little-endian helpers */

static inline void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char) v; p[1] = (unsigned char) (v >> 8); }
static inline void put32(unsigned char *p, uint32_t v) { put16(p, (uint16_t) v); put16(p + 2, (uint16_t) (v >> 16)); }
static inline void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t) v); put32(p + 4, (uint32_t) (v >> 32)); }
static inline uint16_t get16(const unsigned char *p) { return (uint16_t) (p[0] | p[1] << 8); }
static inline uint32_t get32(const unsigned char *p) { return (uint32_t) get16(p) | (uint32_t) get16(p + 2) << 16; }
static inline uint64_t get64(const unsigned char *p) { return (uint64_t) get32(p) | (uint64_t) get32(p + 4) << 32; }

/* a cursor over a payload; any short read sets bad */
typedef struct {
    const unsigned char *p;
    size_t n, off;
    int bad;
} cursor;

static inline uint32_t rd32(cursor *k) {
    if (k->bad || k->n - k->off < 4) { k->bad = 1; return 0; }
    k->off += 4;
    return get32(k->p + k->off - 4);
}

static inline uint16_t rd16(cursor *k) {
    if (k->bad || k->n - k->off < 2) { k->bad = 1; return 0; }
    k->off += 2;
    return get16(k->p + k->off - 2);
}

static inline uint64_t rd64(cursor *k) {
    if (k->bad || k->n - k->off < 8) { k->bad = 1; return 0; }
    k->off += 8;
    return get64(k->p + k->off - 8);
}

/* a str into dst (cut to cap-1 bytes, NUL-terminated) */
static inline void rdstr(cursor *k, char *dst, size_t cap) {
    uint16_t len = rd16(k);
    if (k->bad || k->n - k->off < len) { k->bad = 1; dst[0] = 0; return; }
    size_t m = len < cap - 1 ? len : cap - 1;
    memcpy(dst, k->p + k->off, m);
    dst[m] = 0;
    k->off += len;
}

/* ------------------------------------------------------------------ paneld.c */

/* sets the client's error (or, with c NULL, the thread's connect error); returns -code */
PANELD__HIDDEN int paneld__fail(paneld_client *c, int code, const char *fmt, ...) PANELD__PRINTF(3, 4);

/* ------------------------------------------------------------------ paneld_wire.c */

/* the request scratch buffer, grown to n bytes; NULL when out of memory */
PANELD__HIDDEN unsigned char *paneld__scratch(paneld_client *c, size_t n);
/* sends one frame; returns its id, or a negative errno */
PANELD__HIDDEN long paneld__send_frame(paneld_client *c, uint16_t type, const void *p, size_t n);
/* frees a large payload buffer (a snapshot) once its frame is used */
PANELD__HIDDEN void paneld__release_payload(paneld_client *c);
/* reads one frame, no awaited reply: an event is queued (an ERROR returned), an answer of a
 * paneld_flush_async group counted; 0 or a negative errno */
PANELD__HIDDEN int paneld__pump(paneld_client *c);
/* takes the FLIP_COMPLETE of FLIP request flip_id out of the event queue: 1, or 0 if not there */
PANELD__HIDDEN int paneld__take_flip_complete(paneld_client *c, uint32_t flip_id, paneld_event *out);
/* reads until the reply to request id (type); 0 with *f the reply, or a negative errno */
PANELD__HIDDEN int paneld__wait_reply(paneld_client *c, uint32_t id, uint16_t type, frame *f);
/* sends a request and waits for its reply (f may be NULL) */
PANELD__HIDDEN int paneld__request(paneld_client *c, uint16_t type, const void *p, size_t n, frame *f);
PANELD__HIDDEN int paneld__request_u32(paneld_client *c, uint16_t type, uint32_t v);
PANELD__HIDDEN int paneld__request_str(paneld_client *c, uint16_t type, const char *s, frame *f);
/* WRITEs of one rectangle of an inline buffer; returns the last id, *first_id set to the first */
PANELD__HIDDEN long paneld__write_rect(paneld_client *c, paneld_session *s, paneld_buffer *b, const paneld_rect *r,
                                       uint32_t *first_id);
/* steps 3-5 of the fd exchange (PROTOCOL.md section 7) for a shared buffer */
PANELD__HIDDEN int paneld__receive_fd(paneld_client *c, uint32_t buffer, int *fd_out);
/* the socket panelctl would use when no path is given */
PANELD__HIDDEN void paneld__default_socket(char *dst, size_t cap);
/* connects to a Unix socket path or tcp:HOST:PORT; returns the fd (*tcp set), or a negative errno */
PANELD__HIDDEN int paneld__open_socket(const char *path, int *tcp);

#endif
