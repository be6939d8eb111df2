/*
 * nw-sockdiag — dump TCP sockets with their kernel tcp_info through NETLINK_SOCK_DIAG,
 * one compact tab-separated line per socket, for the NetWatch collector.
 *
 * Why a helper and not `ss -tinaHe`: at 16,000 loopback sockets `ss` spends ~150 ms, two thirds of it
 * formatting text we then parse again (measured in bench/connections.bench.ts). Node has no netlink
 * sockets, so this small program asks the kernel directly and prints only the fields NetWatch uses.
 * It is optional: the collector falls back to `ss` when the binary is missing.
 *
 * Usage:
 *   nw-sockdiag            one dump of every TCP socket (IPv4 and IPv6), then exit
 *   nw-sockdiag --serve    one dump per line read on stdin, each ending with ".\n" (saves a process
 *                          spawn per poll: the collector keeps one helper running). Dumps after the
 *                          first are deltas: a socket (inode ≠ 0) whose line is the same as in the last
 *                          dump is not printed again, and "X\t<inode>" says a socket is gone. A request
 *                          line "full" forgets the last dump, so everything is printed.
 *   nw-sockdiag --destroy  follow socket-destroy events (needs CAP_NET_ADMIN); one line per closed socket
 *
 * --serve and --destroy die with the process that started them: PR_SET_PDEATHSIG, and, for a parent
 * gone before that call took effect (or a ptrace-less exit it misses), the end of stdin. A SIGKILLed
 * engine used to leave its --destroy helper blocked in recv() until the next TCP close.
 *
 * Line (fields tab-separated, "-" = not reported by this kernel):
 *   T fam state src sport dst dport inode uid rtt_us rttvar_us cwnd ssthresh mss snd_wnd rcv_wnd
 *     total_retrans bytes_acked bytes_received bytes_sent cong segs_out
 * state is the kernel's TCP state number (1 ESTABLISHED … 11 CLOSING, 12 NEW_SYN_RECV).
 *
 * Why deltas: at 16,000 mostly idle sockets, a full dump is 1.6 MB of text that the collector turned
 * into 16,000 strings and objects every poll, only to find them unchanged; that garbage was most of
 * the engine's memory (see bench/connections.bench.ts and the README's Performance section).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[1 << 16];

static int has(size_t len, size_t off, size_t size) { return len >= off + size; }

/* Appends to a line buffer; a record is < 300 bytes, so truncation cannot happen at 512. */
struct line { char s[512]; size_t n; };
static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct line *l, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, ap);
  va_end(ap);
  if (k > 0) l->n += (size_t)k < sizeof l->s - l->n ? (size_t)k : sizeof l->s - l->n - 1;
}

/* Formats one socket's line; returns its inode (0 for TIME-WAIT and request minisockets). */
static unsigned format_socket(const struct nlmsghdr *h, struct line *l) {
  const struct inet_diag_msg *m = NLMSG_DATA(h);
  char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
  int af = m->idiag_family;
  inet_ntop(af, m->id.idiag_src, src, sizeof src);
  inet_ntop(af, m->id.idiag_dst, dst, sizeof dst);
  const struct tcp_info *ti = NULL;
  size_t tilen = 0;
  const char *cong = "-";
  int rest = h->nlmsg_len - NLMSG_LENGTH(sizeof *m);
  for (struct rtattr *a = (struct rtattr *)(m + 1); RTA_OK(a, rest); a = RTA_NEXT(a, rest)) {
    if (a->rta_type == INET_DIAG_INFO) { ti = RTA_DATA(a); tilen = RTA_PAYLOAD(a); }
    if (a->rta_type == INET_DIAG_CONG && RTA_PAYLOAD(a) > 0) cong = RTA_DATA(a);
  }
  l->n = 0;
  put(l, "T\t%d\t%u\t%s\t%u\t%s\t%u\t%u\t%u", af == AF_INET ? 4 : 6, m->idiag_state, src,
         ntohs(m->id.idiag_sport), dst, ntohs(m->id.idiag_dport), m->idiag_inode, m->idiag_uid);
  /* tcp_info only grows at its end; older kernels send a shorter struct, so check each field. */
#define U32(f) (ti && has(tilen, offsetof(struct tcp_info, f), 4) ? put(l, "\t%u", ti->f) : put(l, "\t-"))
#define U64(f) (ti && has(tilen, offsetof(struct tcp_info, f), 8) ? put(l, "\t%llu", (unsigned long long)ti->f) : put(l, "\t-"))
  U32(tcpi_rtt); U32(tcpi_rttvar); U32(tcpi_snd_cwnd);
  if (ti && has(tilen, offsetof(struct tcp_info, tcpi_snd_ssthresh), 4) && ti->tcpi_snd_ssthresh < 0x7fffffff)
    put(l, "\t%u", ti->tcpi_snd_ssthresh);
  else
    put(l, "\t-");
  U32(tcpi_snd_mss); U32(tcpi_snd_wnd);
  /* tcpi_rcv_wnd (Linux 6.7+) directly follows tcpi_snd_wnd; the 6.1 uapi header here predates it. */
  size_t rcv_off = offsetof(struct tcp_info, tcpi_snd_wnd) + 4;
  if (ti && has(tilen, rcv_off, 4)) { unsigned v; memcpy(&v, (const char *)ti + rcv_off, 4); put(l, "\t%u", v); }
  else put(l, "\t-");
  U32(tcpi_total_retrans); U64(tcpi_bytes_acked); U64(tcpi_bytes_received); U64(tcpi_bytes_sent);
  put(l, "\t%s", cong);
  /* Appended last: readers of the 21-field line keep working. Retransmit % = total_retrans / segs_out.
     segs_in tells a refused connect (the RST came in) from an unanswered one in a destroy event. */
  U32(tcpi_segs_out); U32(tcpi_segs_in);
  put(l, "\n");
  return m->idiag_inode;
}

/*
 * The last dump, for deltas: inode → hash of its line, open addressing with linear probing.
 * Two tables: `last` (the previous dump) and `now` (this one, filled as sockets arrive).
 */
struct slot { unsigned inode; uint64_t hash; };
struct table { struct slot *s; size_t cap, used; };
static struct table last, now;
static int delta; /* 1 while serving deltas */
static int lost;  /* the table could not grow during this dump: it cannot say what is gone */

static uint64_t fnv1a(const char *p, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
  return h;
}

static struct slot *find(struct table *t, unsigned inode) {
  if (!t->cap) return NULL;
  for (size_t i = (inode * 2654435761u) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
    if (t->s[i].inode == inode || t->s[i].inode == 0) return &t->s[i];
}

static int put_slot(struct table *t, unsigned inode, uint64_t hash);
static int grow(struct table *t) {
  struct table g = {calloc(t->cap ? t->cap * 2 : 1024, sizeof *g.s), t->cap ? t->cap * 2 : 1024, 0};
  if (!g.s) return -1;
  for (size_t i = 0; i < t->cap; i++) if (t->s[i].inode) put_slot(&g, t->s[i].inode, t->s[i].hash);
  free(t->s);
  *t = g;
  return 0;
}

static int put_slot(struct table *t, unsigned inode, uint64_t hash) {
  if ((t->used + 1) * 2 > t->cap && grow(t) < 0) return -1;
  struct slot *s = find(t, inode);
  if (!s->inode) { s->inode = inode; t->used++; }
  s->hash = hash;
  return 0;
}

static void clear(struct table *t) { if (t->s) memset(t->s, 0, t->cap * sizeof *t->s); t->used = 0; }

/* Prints a socket; while serving deltas, only if the last dump did not print the same line for it. */
static void emit_socket(const struct nlmsghdr *h) {
  struct line l;
  unsigned inode = format_socket(h, &l);
  if (!delta || !inode) { fwrite(l.s, 1, l.n, stdout); return; }
  uint64_t hash = fnv1a(l.s, l.n);
  struct slot *was = find(&last, inode);
  int known = was && was->inode && was->hash == hash;
  if (put_slot(&now, inode, hash) < 0) lost = 1;
  if (!known) fwrite(l.s, 1, l.n, stdout);
}

/* After a complete dump: say which sockets of the last one are gone, and make this one the last. */
static void finish_delta(void) {
  for (size_t i = 0; i < last.cap; i++) {
    unsigned inode = last.s[i].inode;
    if (!inode) continue;
    struct slot *s = find(&now, inode);
    if (!s || !s->inode) printf("X\t%u\n", inode);
  }
  struct table t = last;
  last = now;
  now = t;
  clear(&now);
}

/*
 * The compat request (TCPDIAG_GETSOCK, struct inet_diag_req) dumps IPv4 and IPv6 sockets in one walk
 * of the kernel's established hash (family AF_UNSPEC inside the kernel); SOCK_DIAG_BY_FAMILY needs one
 * walk per family, and a walk of the 262,144-bucket table costs ~2.5 ms even when it is empty.
 */
static int request(int fd) {
  struct { struct nlmsghdr h; struct inet_diag_req r; } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = sizeof req;
  req.h.nlmsg_type = TCPDIAG_GETSOCK;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.r.idiag_family = AF_INET;
  req.r.idiag_states = ~0U;
  req.r.idiag_ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_CONG - 1));
  struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
  return sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&nl, sizeof nl) < 0 ? -1 : 0;
}

/* Reads one multi-part dump; returns 0 at NLMSG_DONE, -1 on error. */
static int receive_dump(int fd) {
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) { if (errno == EINTR) continue; return -1; }
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) { errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error; return -1; }
      emit_socket(h);
    }
  }
}

static int dump_all(void) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return -1;
  int rc = request(fd) || receive_dump(fd);
  close(fd);
  return rc ? -1 : 0;
}

/*
 * Dies with the parent: the kernel sends SIGKILL when it exits. The parent may already be gone by the
 * time prctl runs (we were reparented, getppid() changed): then exit now.
 */
static void die_with_parent(void) {
  pid_t parent = getppid();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent) _exit(0);
}

static int follow_destroy(void) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return -1;
  struct sockaddr_nl nl = {.nl_family = AF_NETLINK,
    .nl_groups = (1 << (SKNLGRP_INET_TCP_DESTROY - 1)) | (1 << (SKNLGRP_INET6_TCP_DESTROY - 1))};
  if (bind(fd, (struct sockaddr *)&nl, sizeof nl) < 0) return -1;
  printf("READY\n");
  fflush(stdout);
  for (;;) {
    /* Events, or the end of stdin (the parent closed its pipe or died): whichever comes first. */
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = STDIN_FILENO, .events = POLLIN}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      char c;
      ssize_t r = read(STDIN_FILENO, &c, 1);
      if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) return 0;
    }
    if (!(p[0].revents & POLLIN)) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      /* ENOBUFS: the kernel dropped events because we were slow; say so and go on. */
      if (errno == ENOBUFS) { printf("LOST\n"); fflush(stdout); continue; }
      return -1;
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
      if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY) emit_socket(h);
    fflush(stdout);
  }
}

int main(int argc, char **argv) {
  static char out[1 << 20];
  setvbuf(stdout, out, _IOFBF, sizeof out);
  if (argc > 1 && (strcmp(argv[1], "--destroy") == 0 || strcmp(argv[1], "--serve") == 0)) die_with_parent();
  if (argc > 1 && strcmp(argv[1], "--destroy") == 0) {
    if (follow_destroy() < 0) { fprintf(stderr, "nw-sockdiag: %s\n", strerror(errno)); return 1; }
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--serve") == 0) {
    char line[64];
    delta = 1;
    while (fgets(line, sizeof line, stdin)) {
      if (strncmp(line, "full", 4) == 0) clear(&last);
      lost = 0;
      int rc = dump_all();
      if (rc == 0 && lost) { errno = ENOMEM; rc = -1; }
      if (rc < 0) {
        /* A broken dump (or no memory to remember one) says nothing about which sockets are gone:
           report it, forget both tables, and send the next dump in full. */
        printf("E\t%s\n", strerror(errno));
        clear(&last);
        clear(&now);
      } else {
        finish_delta();
      }
      printf(".\n");
      fflush(stdout);
    }
    return 0;
  }
  if (dump_all() < 0) { fprintf(stderr, "nw-sockdiag: %s\n", strerror(errno)); return 1; }
  return 0;
}
