// Typed C wrappers for the event core: libc macros and calls Swift cannot make directly. libc only.
#ifndef GATEWAY_CORE_H
#define GATEWAY_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Socket helpers: errno is a macro in glibc, and setsockopt wants typed sizes. */
int gw_errno(void);
int gw_set_nonblocking(int fd);
int gw_set_int_sockopt(int fd, int level, int name, int value);
/* accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC (accept4 needs _GNU_SOURCE). */
int gw_accept_nonblocking(int fd, void *addr, unsigned int *len);
/* A non-blocking, close-on-exec stream socket of the given family. */
int gw_stream_socket(int family);
int gw_sock_stream(void);

/* glibc's malloc_trim(0): freed heap pages go back to the system. */
int gw_malloc_trim(void);

/* epoll, with its packed struct kept on the C side. */
int gw_epoll_create(void);
int gw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/* Waits up to timeout ms; fills events[i] and data[i] for each ready fd; returns the count. */
int gw_epoll_wait(int epfd, uint32_t *events, uint64_t *data, int max, int timeout);
/* An eventfd (non-blocking, close-on-exec), and adding 1 to one: wakes an epoll_wait on it. */
int gw_eventfd(void);
void gw_eventfd_signal(int fd);
/* Starts a detached thread named `name` (at most 15 bytes) running fn(context); 0 or an errno. */
int gw_start_thread(const char *name, void (*fn)(void *), void *context);
extern const int GW_EPOLL_CTL_ADD, GW_EPOLL_CTL_MOD, GW_EPOLL_CTL_DEL;
extern const uint32_t GW_EPOLLIN, GW_EPOLLOUT, GW_EPOLLRDHUP, GW_EPOLLERR, GW_EPOLLHUP;

#endif
