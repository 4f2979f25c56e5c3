#define _GNU_SOURCE
// Socket and epoll helpers for the event core (libc only).
#include "gateway_core.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <stdlib.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

int gw_errno(void) { return errno; }

int gw_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int gw_set_int_sockopt(int fd, int level, int name, int value) {
    return setsockopt(fd, level, name, &value, (socklen_t)sizeof(value));
}

int gw_accept_nonblocking(int fd, void *addr, unsigned int *len) {
    socklen_t l = (socklen_t)*len;
    int r = accept4(fd, (struct sockaddr *)addr, &l, SOCK_NONBLOCK | SOCK_CLOEXEC);
    *len = (unsigned int)l;
    return r;
}

int gw_stream_socket(int family) {
    return socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int gw_sock_stream(void) { return SOCK_STREAM; }

const int GW_EPOLL_CTL_ADD = EPOLL_CTL_ADD, GW_EPOLL_CTL_MOD = EPOLL_CTL_MOD, GW_EPOLL_CTL_DEL = EPOLL_CTL_DEL;
const uint32_t GW_EPOLLIN = EPOLLIN, GW_EPOLLOUT = EPOLLOUT, GW_EPOLLRDHUP = EPOLLRDHUP, GW_EPOLLERR = EPOLLERR,
               GW_EPOLLHUP = EPOLLHUP;

int gw_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int gw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

int gw_epoll_wait(int epfd, uint32_t *events, uint64_t *data, int max, int timeout) {
    struct epoll_event ready[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, ready, max, timeout);
    for (int i = 0; i < n; i++) {
        events[i] = ready[i].events;
        data[i] = ready[i].data.u64;
    }
    return n;
}

int gw_malloc_trim(void) { return malloc_trim(0); }

int gw_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

void gw_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t ignored = write(fd, &one, sizeof(one));
    (void)ignored;
}

struct gw_thread_start {
    void (*fn)(void *);
    void *context;
};

static void *gw_thread_main(void *raw) {
    struct gw_thread_start start = *(struct gw_thread_start *)raw;
    free(raw);
    start.fn(start.context);
    return NULL;
}

int gw_start_thread(const char *name, void (*fn)(void *), void *context) {
    struct gw_thread_start *start = malloc(sizeof(*start));
    if (start == NULL) return ENOMEM;
    start->fn = fn;
    start->context = context;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, gw_thread_main, start);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        free(start);
        return rc;
    }
    pthread_setname_np(thread, name);
    return 0;
}
