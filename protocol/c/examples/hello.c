#include <paneld.h>
#include <stdio.h>
int main(void) {
    paneld_client *c = paneld_connect(NULL); /* $PANELD_SOCKET, /run/paneld/paneld.sock, per-user */
    paneld_session *s = c ? paneld_open(c, "lcd0", PANELD_OPEN_OWNER) : NULL;
    paneld_buffer *b = s ? paneld_buffer_create(s, s->width, s->height, PANELD_FORMAT_XRGB8888, 1) : NULL;
    if (!b) { fprintf(stderr, "paneld: %s\n", paneld_errmsg(c)); return 1; }
    for (uint32_t i = 0; i < b->width * b->height; i++) ((uint32_t *) b->pixels)[i] = 0xFF8000; /* orange */
    paneld_rect all = {0, 0, (int32_t) b->width, (int32_t) b->height};
    int e = paneld_flush(s, b, &all, 1);
    printf("flush: %s\n", paneld_strerror(e));
    paneld_disconnect(c);
    return e < 0;
}
