/*
 * libpaneld: a C99 + POSIX client of paneld (protocol version 1, see protocol/PROTOCOL.md).
 * No dependencies beyond libc.
 *
 *     paneld_client *c = paneld_connect(NULL);            // $PANELD_SOCKET, /run/paneld, per-user
 *     paneld_session *s = paneld_open(c, "lcd0", PANELD_OPEN_OWNER);
 *     paneld_buffer *b = paneld_buffer_create(s, s->width, s->height, PANELD_FORMAT_XRGB8888, 1);
 *     ((uint32_t *) b->pixels)[0] = 0xFF0000;             // draw into the shared mapping
 *     paneld_rect r = {0, 0, s->width, s->height};
 *     paneld_flush(s, b, &r, 1);                          // the panel shows it when this returns
 *     paneld_disconnect(c);                               // closes its sessions and buffers
 *
 * Errors: functions returning int give 0 (or a count) on success and a NEGATIVE errno value on
 * failure (-ENODEV after unplug, -EBUSY when the session does not own the display, -EINVAL for a
 * bad rectangle, -ECONNRESET when paneld went away …). Functions returning a pointer give NULL
 * and set errno to the positive value. Either way paneld_errmsg(client) says what went wrong and
 * where (the daemon's own message for its errors); paneld_strerror(code) names a code.
 *
 * Threads: a paneld_client, with everything made through it (sessions, buffers), belongs to one
 * thread at a time; calls on the same client from two threads at once need the caller's lock.
 * Different clients are independent and may be used from different threads. Drawing into a
 * buffer's pixels needs no call and may happen on any thread, as long as no paneld_flush /
 * paneld_flip of that buffer runs at the same time and no paneld_flush_async of it is in flight
 * (an inline buffer's pixels are read during the call; a shared buffer's are read by the daemon
 * until the flush is answered).
 *
 * Lifetimes: a session lives from paneld_open to paneld_close (or paneld_disconnect); a buffer
 * from paneld_buffer_create to paneld_buffer_destroy, paneld_close of its session or
 * paneld_disconnect, which free it and unmap its pixels. A session stays a valid handle after
 * its device is unplugged (requests then fail with -ENODEV); close it and open the device again
 * when it comes back (PANELD_EV_DEVICE_ADDED).
 */
#ifndef PANELD_H
#define PANELD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PANELD_VERSION "1.1.0" /* 1.1: touch (TOUCH events, ADMIN_TOUCH, ADMIN_CALIBRATE) */

/* pixel formats (fourcc, PROTOCOL.md section 6) */
#define PANELD_FORMAT_XRGB8888 0x34325258u /* u32 0x00RRGGBB per pixel, little-endian */
#define PANELD_FORMAT_RGB565   0x36314752u /* u16 RRRRRGGGGGGBBBBB per pixel, little-endian */

/* paneld_open flags */
#define PANELD_OPEN_OWNER 1u /* take ownership if nobody has it, else wait in line */

/* paneld_device.flags (LIST_DEVICES) */
#define PANELD_DEVICE_CONNECTED 1u
#define PANELD_DEVICE_OWNED     2u
#define PANELD_DEVICE_UNPLUGGED 4u
#define PANELD_DEVICE_TOUCH     8u /* the display has a touch controller (TOUCH events) */

/* event types (PROTOCOL.md section 10) */
#define PANELD_EV_DEVICE_ADDED   0x4001
#define PANELD_EV_DEVICE_REMOVED 0x4002
#define PANELD_EV_UNPLUGGED      0x4003
#define PANELD_EV_FLIP_COMPLETE  0x4004
#define PANELD_EV_OWNERSHIP      0x4005
#define PANELD_EV_SHUTDOWN       0x4006
#define PANELD_EV_TOUCH          0x4007 /* only after paneld_subscribe with PANELD_SUB_TOUCH or _TOUCH_OBSERVE */

/* paneld_subscribe mask */
#define PANELD_SUB_DEVICE_ADDED   1u
#define PANELD_SUB_DEVICE_REMOVED 2u
#define PANELD_SUB_TOUCH          4u /* TOUCH events of the displays this connection's sessions own */
#define PANELD_SUB_TOUCH_OBSERVE  8u /* TOUCH events of every display this connection has a session on */

/* paneld_touch.kind */
#define PANELD_TOUCH_DOWN 0 /* a contact starts */
#define PANELD_TOUCH_MOVE 1 /* it moved */
#define PANELD_TOUCH_UP   2 /* it ended (never sent after unplug: PANELD_EV_UNPLUGGED ends every contact) */

/* paneld_touch.flags */
#define PANELD_TOUCH_OWNER   1u /* the session owns the display (else it observes) */
#define PANELD_TOUCH_DROPPED 2u /* events of this slot were dropped before this one: the client did not read */

/* paneld_admin_touch actions */
#define PANELD_TOUCH_PRESS   0u /* the emulated finger down at (or moved to) x, y */
#define PANELD_TOUCH_RELEASE 1u /* the emulated finger lifted */

typedef struct paneld_client paneld_client;

/** A damage rectangle in buffer (= display) coordinates. */
typedef struct paneld_rect {
    int32_t x, y, width, height;
} paneld_rect;

/** One bound device, as LIST_DEVICES reports it (names longer than 63 bytes are cut). */
typedef struct paneld_device {
    char name[64];
    char driver[64];
    uint32_t width, height; /* after rotation */
    uint32_t flags;         /* PANELD_DEVICE_* */
} paneld_device;

/** One property of a device ("backlight" 0..100, "power" 0/1, …). */
typedef struct paneld_property {
    char name[32];
    int64_t min, max, value;
} paneld_property;

/** What DEVICE_INFO tells about a device (the first 16 formats and properties; counts are the true ones). */
typedef struct paneld_info {
    char name[64];
    char driver[64];
    uint32_t width, height;        /* after rotation */
    uint32_t width_mm, height_mm;  /* 0 when unknown */
    uint32_t rotation;             /* 0, 90, 180, 270 */
    uint32_t flags;                /* PANELD_DEVICE_* */
    char panel_format[16];         /* what the panel shows: "RGB565", "RGB666", "MONO", … */
    char update_class[16];         /* "fast" or "slow" (e-paper) */
    int format_count;
    uint32_t formats[16];          /* PANELD_FORMAT_* the device takes */
    int property_count;
    paneld_property properties[16];
} paneld_info;

/** An open session on a device. Fields are read-only for the caller. */
typedef struct paneld_session {
    paneld_client *client;
    uint32_t handle;  /* the daemon's session handle (unique on this connection) */
    uint32_t width, height;
    int owner;        /* 1 while this session owns the display (OPEN, PANELD_EV_OWNERSHIP) */
    int unplugged;    /* 1 after PANELD_EV_UNPLUGGED for this session was read */
    char device[64];
    struct paneld_buffer *buffers; /* private: this session's buffers */
    struct paneld_session *next;   /* private */
} paneld_session;

/**
 * A display-sized buffer. Draw into pixels (stride bytes per line, top line first), then
 * paneld_flush or paneld_flip. shared = 1: pixels is a MAP_SHARED mapping of the daemon's buffer
 * file (no pixel crosses the socket); shared = 0: pixels is private memory sent with WRITE
 * requests at each flush (TCP, or a daemon without fd passing). Fields are read-only.
 */
typedef struct paneld_buffer {
    void *pixels;
    uint32_t width, height, stride, format;
    size_t size;      /* stride * height */
    int shared;
    uint32_t handle;  /* the daemon's buffer handle */
    paneld_session *session;
    struct paneld_buffer *next; /* private */
} paneld_buffer;

/** An event (id-0 frame). Which fields are set depends on type. */
typedef struct paneld_event {
    int type;                 /* PANELD_EV_* */
    paneld_session *session;  /* UNPLUGGED, FLIP_COMPLETE, OWNERSHIP: the session (NULL if closed) */
    uint32_t session_handle;
    uint32_t buffer_handle;   /* FLIP_COMPLETE */
    uint32_t flip_id;         /* FLIP_COMPLETE: the FLIP's request id */
    int error;                /* FLIP_COMPLETE: 0 or a negative errno value */
    uint32_t owner;           /* OWNERSHIP: 1 */
    char text[128];           /* DEVICE_ADDED/REMOVED, UNPLUGGED: the device; SHUTDOWN: the reason */
    /*
     * TOUCH (since 1.1; added at the end so that 1.0 programs keep working: the library writes
     * this member only on connections that subscribed to touch, which 1.0 programs never do).
     * session/session_handle above name the session whose display was touched.
     */
    struct paneld_touch {
        int kind;                 /* PANELD_TOUCH_DOWN, _MOVE, _UP (other values: a newer paneld; ignore) */
        uint32_t slot;            /* the contact: 0 on single-touch controllers, 0..1 on the FT6236 */
        int32_t x, y;             /* display pixels of the picture the client draws, (0,0) top-left */
        int32_t raw_x, raw_y;     /* the controller's filtered sample before calibration */
        uint32_t pressure;        /* 0..255 (255 when the controller measures none) */
        uint32_t flags;           /* PANELD_TOUCH_OWNER, PANELD_TOUCH_DROPPED */
        uint64_t timestamp_us;    /* CLOCK_MONOTONIC of the sample, microseconds */
    } touch;
} paneld_event;

/**
 * Connects and says HELLO. path: a Unix socket path, "tcp:HOST:PORT" for TCP (no shared
 * buffers there: they fall back to inline), or NULL for the default (like panelctl's:
 * $PANELD_SOCKET, then /run/paneld/paneld.sock when it exists, then $XDG_RUNTIME_DIR/paneld.sock
 * or /tmp/paneld-$USER/paneld.sock). NULL on failure (errno set; paneld_errmsg(NULL) says why,
 * on this thread).
 */
paneld_client *paneld_connect(const char *path);

/** Closes the connection; the daemon closes its sessions; frees every session and buffer. NULL is a no-op. */
void paneld_disconnect(paneld_client *c);

/** The connection's descriptor, for poll() in an event loop (readable: call paneld_next_event with timeout 0). */
int paneld_fd(const paneld_client *c);

/** 1 when shared buffers are possible on this connection (Unix socket, daemon passes fds). */
int paneld_can_share(const paneld_client *c);

/** 1 when this peer may send admin requests (root or the daemon's uid). */
int paneld_is_admin(const paneld_client *c);

/**
 * The bound devices: fills at most max entries of out (out may be NULL when max is 0) and
 * returns how many devices there are (may exceed max), or a negative errno value.
 */
int paneld_list(paneld_client *c, paneld_device *out, int max);

/** DEVICE_INFO of device name into *out. 0 or a negative errno value (-ENOENT: no such bound device). */
int paneld_device_info(paneld_client *c, const char *name, paneld_info *out);

/**
 * Opens a session on device name (flags: PANELD_OPEN_OWNER). NULL on failure (errno: ENOENT,
 * ENODEV, EACCES, EBUSY …). A NULL client gives NULL and keeps errno and paneld_errmsg(NULL) of
 * the failed paneld_connect, so paneld_open(paneld_connect(NULL), …) needs one check.
 */
paneld_session *paneld_open(paneld_client *c, const char *name, unsigned flags);

/** Closes the session and frees it with its buffers (also after unplug). 0 or negative errno; s is freed either way. */
int paneld_close(paneld_session *s);

/**
 * Makes a display-sized buffer (width, height must equal the session's) of format
 * PANELD_FORMAT_*. shared = 1 asks for shared memory and falls back to an inline buffer when the
 * connection cannot pass fds (check b->shared). The pixels start black. NULL on failure (errno).
 */
paneld_buffer *paneld_buffer_create(paneld_session *s, uint32_t width, uint32_t height, uint32_t format, int shared);

/** Destroys the buffer on the daemon's side and frees it (also after unplug). 0 or negative errno; b is freed either way. */
int paneld_buffer_destroy(paneld_buffer *b);

/**
 * Sends the damaged rectangles of b to the display and returns when the device has them.
 * Inline buffers first send the rectangles' pixels (WRITE). Rectangles must lie inside the
 * buffer (else -EINVAL; never clipped); 1..max_rects of them. Owner only (-EBUSY).
 */
int paneld_flush(paneld_session *s, paneld_buffer *b, const paneld_rect *rects, int n);

/**
 * paneld_flush without waiting: sends the request(s) and returns a ticket (> 0) for paneld_wait,
 * or a negative errno value (-EAGAIN when 16 are in flight). Up to 16 may be in flight; they are
 * carried out in order. With two buffers, draw into one while the other's flush is in flight
 * (and wait for a buffer's flush before drawing into it again): the daemon reads a shared
 * buffer's pixels when it carries the flush out. Every ticket must be waited for.
 */
long paneld_flush_async(paneld_session *s, paneld_buffer *b, const paneld_rect *rects, int n);

/** Waits for the flush of ticket: 0 or its negative errno value (the first error of its requests). */
int paneld_wait(paneld_client *c, long ticket);

/**
 * Makes b the scanout buffer (the whole buffer is sent). wait = 0: returns when the flip is
 * queued (a PANELD_EV_FLIP_COMPLETE follows; a second flip before it is -EBUSY); wait = 1:
 * returns when the display has it, with the flip's own error (other events are kept for
 * paneld_next_event). 0 or negative errno.
 */
int paneld_flip(paneld_session *s, paneld_buffer *b, int wait);

/** Sets a property ("backlight" 0..100, "power" 0/1, …). Owner only. 0 or negative errno (-ENOENT, -EINVAL). */
int paneld_set_property(paneld_session *s, const char *name, int64_t value);

/** ACQUIRE_OWNERSHIP: 0 when the session owns the display now, -EBUSY when it waits in line. */
int paneld_acquire(paneld_session *s);

/** RELEASE_OWNERSHIP. */
int paneld_release(paneld_session *s);

/**
 * Chooses the optional events (PANELD_SUB_*; each call replaces the previous mask). With
 * PANELD_SUB_TOUCH, paneld_next_event gives PANELD_EV_TOUCH for the displays this connection's
 * sessions own; with PANELD_SUB_TOUCH_OBSERVE for every display it has a session on (owned or
 * not). The receivers of a contact are chosen at its DOWN: its MOVEs and UP follow even if
 * ownership passes meanwhile. Other bits are ignored.
 */
int paneld_subscribe(paneld_client *c, unsigned mask);

/**
 * The next event: 1 with *ev filled, 0 when none came within timeout_ms (0: do not wait, -1:
 * wait for ever), or a negative errno value (-ECONNRESET when paneld closed the connection).
 * Events that arrived while a request waited for its reply are kept (up to 256; older ones are
 * then dropped) and returned first.
 */
int paneld_next_event(paneld_client *c, paneld_event *ev, int timeout_ms);

/* Admin requests (root or the daemon's uid; -EACCES otherwise). */
int paneld_admin_unplug(paneld_client *c, const char *device);
int paneld_admin_replug(paneld_client *c, const char *device);
int paneld_admin_unbind(paneld_client *c, const char *device);
int paneld_admin_bind(paneld_client *c, const char *device);

/**
 * Emulated touch controllers (virtual panels): action PANELD_TOUCH_PRESS puts the finger down
 * at (or moves it to) x, y in display pixels, PANELD_TOUCH_RELEASE lifts it (x, y ignored). The
 * emulated chip reports it on its own wire; the TOUCH events follow asynchronously (wait for
 * them with paneld_next_event). -EINVAL: an unknown action, a negative x or y (checked before
 * sending), or x, y outside the display; -EOPNOTSUPP: no touch controller, or a real one;
 * -ENOENT: no such bound device.
 */
int paneld_admin_touch(paneld_client *c, const char *device, unsigned action, int32_t x, int32_t y);

/**
 * Replaces device's touch calibration at once (not written to the config file):
 * cal = {a, b, c, d, e, f, scale}, x = (a*raw_x + b*raw_y + c) / scale,
 * y = (d*raw_x + e*raw_y + f) / scale. -EINVAL: cal NULL or scale not positive (checked before
 * sending), or a map that sends every touch onto one line (a*e - b*d = 0, paneld's check);
 * -EOPNOTSUPP: no touch controller.
 */
int paneld_admin_calibrate(paneld_client *c, const char *device, const int64_t cal[7]);

/**
 * What a (virtual) panel shows: *pixels gets width*height values 0x00RRGGBB, row-major, to be
 * released with free(). 0 or negative errno.
 */
int paneld_snapshot(paneld_client *c, const char *device, uint32_t **pixels, uint32_t *width, uint32_t *height);

/** The last failure's message on c (NULL: this thread's last paneld_connect failure); "" if none. */
const char *paneld_errmsg(const paneld_client *c);

/** The last failure's code on c as a negative errno value, 0 if none. */
int paneld_errcode(const paneld_client *c);

/** "ENODEV: no such device" for -ENODEV (or ENODEV); never NULL. */
const char *paneld_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
