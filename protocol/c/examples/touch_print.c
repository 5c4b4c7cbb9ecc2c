/*
 * touch_print: prints a panel's touch events as they come, one a line, like `panelctl touch`:
 *
 *     touch_print [--socket PATH] [--count N] [--own] NAME
 *
 *     watching lcd0 (320x240)
 *     down x=100 y=120 slot=0 pressure=211 raw_x=2042 raw_y=1361 t_us=18517708329
 *     up x=100 y=120 slot=0 pressure=0 raw_x=2042 raw_y=1356 t_us=18517768782
 *
 * By default it observes (PANELD_SUB_TOUCH_OBSERVE on a session that does not take ownership):
 * the client that owns the panel keeps getting its events. --own opens as owner and subscribes
 * to PANELD_SUB_TOUCH instead (the way an application reads its own panel's touches; "owner"
 * then ends each line). Stops after --count events (exit 0), when the panel is unplugged (exit
 * 1, ENODEV) or when paneld goes away (exit 1).
 */
#include "paneld.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(int kind) {
    switch (kind) {
    case PANELD_TOUCH_DOWN: return "down";
    case PANELD_TOUCH_MOVE: return "move";
    case PANELD_TOUCH_UP: return "up";
    default: return NULL;
    }
}

int main(int argc, char **argv) {
    const char *sock = NULL, *name = NULL;
    long count = -1;
    int own = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
            sock = argv[++i];
        } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            count = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--own") == 0) {
            own = 1;
        } else if (argv[i][0] != '-' && !name) {
            name = argv[i];
        } else {
            fprintf(stderr, "usage: touch_print [--socket PATH] [--count N] [--own] NAME\n");
            return 2;
        }
    }
    if (!name) {
        fprintf(stderr, "usage: touch_print [--socket PATH] [--count N] [--own] NAME\n");
        return 2;
    }
    paneld_client *c = paneld_connect(sock);
    if (!c) {
        fprintf(stderr, "touch_print: %s\n", paneld_errmsg(NULL));
        return 1;
    }
    int rc = 1;
    paneld_info info;
    paneld_session *s = NULL;
    if (paneld_device_info(c, name, &info) < 0) {
        fprintf(stderr, "touch_print: %s\n", paneld_errmsg(c));
    } else if (!(info.flags & PANELD_DEVICE_TOUCH)) {
        fprintf(stderr, "touch_print: %s has no touch controller (configure one in its [panel.touch] table)\n", name);
    } else if (!(s = paneld_open(c, name, own ? PANELD_OPEN_OWNER : 0))) {
        fprintf(stderr, "touch_print: %s\n", paneld_errmsg(c));
    } else if (paneld_subscribe(c, own ? PANELD_SUB_TOUCH : PANELD_SUB_TOUCH_OBSERVE) < 0) {
        fprintf(stderr, "touch_print: %s\n", paneld_errmsg(c));
    } else {
        printf("watching %s (%ux%u)%s\n", name, info.width, info.height, own && !s->owner ? ", waiting for ownership" : "");
        fflush(stdout);
        long seen = 0;
        while (count < 0 || seen < count) {
            paneld_event ev;
            int r = paneld_next_event(c, &ev, -1);
            if (r < 0) {
                fprintf(stderr, "touch_print: %s\n", paneld_errmsg(c));
                break;
            }
            if (ev.type == PANELD_EV_UNPLUGGED && ev.session == s) {
                fprintf(stderr, "touch_print: %s was unplugged (ENODEV): every contact ended\n", name);
                break;
            }
            if (ev.type == PANELD_EV_SHUTDOWN) {
                fprintf(stderr, "touch_print: paneld is shutting down: %s\n", ev.text);
                break;
            }
            if (ev.type != PANELD_EV_TOUCH || ev.session != s) continue;
            const char *kind = kind_name(ev.touch.kind);
            if (!kind) continue; /* a kind of a newer paneld */
            printf("%s x=%d y=%d slot=%u pressure=%u raw_x=%d raw_y=%d t_us=%llu%s%s\n", kind, (int) ev.touch.x,
                   (int) ev.touch.y, ev.touch.slot, ev.touch.pressure, (int) ev.touch.raw_x, (int) ev.touch.raw_y,
                   (unsigned long long) ev.touch.timestamp_us, (ev.touch.flags & PANELD_TOUCH_OWNER) ? " owner" : "",
                   (ev.touch.flags & PANELD_TOUCH_DROPPED) ? " dropped" : "");
            fflush(stdout);
            seen++;
        }
        if (count >= 0 && seen >= count) rc = 0;
    }
    paneld_disconnect(c);
    return rc;
}
