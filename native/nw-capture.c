// nw-capture: packet capture on libpcap, aggregated here, reported to the engine as a few lines per
// interval (never one per packet). Live: `nw-capture [-i IFACE] [-f FILTER] --serve` answers each
// newline on stdin with a report and exits at stdin EOF or when its parent dies. `-r FILE` replays a
// pcap file (reports per -t of capture time, and one at the end). Line format: README, "Packet capture".
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>
#include "nw-capture.h"
#include "nw-capture-out.h"

#ifdef __linux__
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#define SNAP_HEADERS 128 /* link + IPv4/IPv6 + TCP with room for options and extension headers */
#define SNAP_WHOLE 65535
#define DNS_FILTER "udp port 53 or tcp port 53 or udp port 5353"

struct opts {
  const char *dev, *file, *filter;
  int serve;
  uint32_t flows, interval_ms, syn_timeout_ms, buffer_kb;
};

static void usage(void) {
  fprintf(stderr, "usage: nw-capture [-i IFACE|any] [-r FILE] [-f FILTER] [-t INTERVAL_MS] [-F MAX_FLOWS]\n"
                  "                  [-T SYN_TIMEOUT_MS] [-B BUFFER_KB] [--serve]\n");
  exit(2);
}

static uint32_t num(const char *s, uint32_t lo, uint32_t hi) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *end || end == s || v < lo || v > hi) usage();
  return (uint32_t)v;
}

/* The helper may hold CAP_NET_RAW (setcap): once the socket is open it needs none, so it drops all. */
static void drop_caps(void) {
#ifdef __linux__
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  syscall(SYS_capset, &h, d);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
#endif
}

/* One program: DNS packets (and the user filter) accepted whole, others cut to SNAP_HEADERS bytes.
 * The kernel truncates to the program's return value, so no second handle or ring is needed. */
static int build_filter(pcap_t *p, const char *user, struct bpf_program *out) {
  char dns[2048];
  struct bpf_program a, b;
  if (user && *user) snprintf(dns, sizeof dns, "(%s) and (" DNS_FILTER ")", user);
  else snprintf(dns, sizeof dns, DNS_FILTER);
  if (pcap_compile(p, &a, dns, 1, PCAP_NETMASK_UNKNOWN) < 0) return -1;
  if (pcap_compile(p, &b, user ? user : "", 1, PCAP_NETMASK_UNKNOWN) < 0) { pcap_freecode(&a); return -1; }
  out->bf_len = a.bf_len + b.bf_len;
  out->bf_insns = calloc(out->bf_len, sizeof *out->bf_insns);
  if (!out->bf_insns) return -1;
  for (u_int i = 0; i < a.bf_len; i++) {
    struct bpf_insn in = a.bf_insns[i];
    if (BPF_CLASS(in.code) == BPF_RET && BPF_RVAL(in.code) == BPF_K) {
      if (in.k == 0) in = (struct bpf_insn)BPF_JUMP(BPF_JMP | BPF_JA, a.bf_len - i - 1, 0, 0); /* not DNS: try b */
      else in.k = SNAP_WHOLE;
    }
    out->bf_insns[i] = in;
  }
  for (u_int i = 0; i < b.bf_len; i++) {
    struct bpf_insn in = b.bf_insns[i];
    if (BPF_CLASS(in.code) == BPF_RET && BPF_RVAL(in.code) == BPF_K && in.k != 0) in.k = SNAP_HEADERS;
    out->bf_insns[a.bf_len + i] = in;
  }
  pcap_freecode(&a);
  pcap_freecode(&b);
  return 0;
}

static uint64_t now_us(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

static struct nwc_out out;
static int dlt;

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes) {
  (void)user;
  uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
  nwc_out_packet(&out, dlt, bytes, h->caplen, h->len, ts);
}

static void stats(pcap_t *p, struct nwc_kstats *k) {
  struct pcap_stat ps;
  if (pcap_stats(p, &ps) == 0) { k->ok = 1; k->recv = ps.ps_recv; k->drop = ps.ps_drop; k->ifdrop = ps.ps_ifdrop; }
}

/* Peak resident memory of this program, KiB. Linux: VmHWM, because getrusage's ru_maxrss survives
 * execve and so reports the parent's peak (Node's ~80 MB) when that was larger. */
static long max_rss_kb(void) {
  long kb = 0;
#ifdef __linux__
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f)) {
    if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
  }
  if (f) fclose(f);
#else
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0) kb = ru.ru_maxrss / 1024; /* macOS: bytes */
#endif
  return kb;
}

static int replay(const struct opts *o) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t *p = pcap_open_offline(o->file, err);
  if (!p) { printf("E\tcannot read %s: %s\n", o->file, err); return 1; }
  struct bpf_program prog;
  dlt = pcap_datalink(p);
  /* libpcap compiles no filter for Apple's PKTAP (macOS tcpdump's default file format): without a user
     filter such a file is read whole, which the parser handles the same way (it reads headers only). */
  int unfiltered = (dlt == NWC_DLT_PKTAP || dlt == NWC_DLT_USER2) && !(o->filter && *o->filter);
  if (!unfiltered && build_filter(p, o->filter, &prog) < 0) { printf("E\tbad filter: %s\n", pcap_geterr(p)); return 1; }
  nwc_out_hello(&out, o->file, dlt, SNAP_HEADERS);
  struct pcap_pkthdr *h;
  const u_char *data;
  uint64_t next = 0, ts = 0, step = (uint64_t)o->interval_ms * 1000;
  int r;
  while ((r = pcap_next_ex(p, &h, &data)) == 1) {
    /* The live kernel cuts each packet to the filter's answer; a file gets the same treatment. */
    u_int keep = unfiltered ? (u_int)h->caplen : (u_int)pcap_offline_filter(&prog, h, data);
    if (keep == 0) continue;
    struct pcap_pkthdr cut = *h;
    if (cut.caplen > keep) cut.caplen = keep;
    ts = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
    if (step && next == 0) next = ts + step;
    while (step && ts >= next) { nwc_out_report(&out, next, NULL, max_rss_kb()); next += step; }
    on_packet(NULL, &cut, data);
  }
  if (r == -1) printf("E\tread %s: %s\n", o->file, pcap_geterr(p));
  nwc_out_report(&out, ts, NULL, max_rss_kb());
  fflush(stdout);
  return r == -1;
}

static int live(const struct opts *o) {
  char err[PCAP_ERRBUF_SIZE];
  const char *dev = o->dev ? o->dev : "any";
  pcap_t *p = pcap_create(dev, err);
  if (!p) { printf("E\t%s: %s\n", dev, err); return 1; }
  pcap_set_snaplen(p, SNAP_WHOLE);
  pcap_set_promisc(p, 0);
  pcap_set_timeout(p, 100); /* TPACKET_V3 hands over a block at least every 100 ms */
  pcap_set_buffer_size(p, (int)(o->buffer_kb * 1024));
  int rc = pcap_activate(p);
  if (rc == PCAP_ERROR_PERM_DENIED || (rc == PCAP_ERROR && strstr(pcap_geterr(p), "ermission"))) {
#ifdef __APPLE__
    printf("E\tneeds BPF access: %s\n", pcap_geterr(p)); /* /dev/bpf* is root's unless ChmodBPF opened it */
#else
    printf("E\tneeds CAP_NET_RAW: %s\n", pcap_geterr(p));
#endif
    return 3;
  }
  if (rc < 0) {
    printf("E\t%s: %s\n", dev, rc == PCAP_ERROR_NO_SUCH_DEVICE ? "no such interface" : pcap_geterr(p));
    return 1;
  }
  struct bpf_program prog;
  if (build_filter(p, o->filter, &prog) < 0 || pcap_setfilter(p, &prog) < 0) {
    printf("E\tbad filter: %s\n", pcap_geterr(p));
    return 1;
  }
  drop_caps();
  if (pcap_setnonblock(p, 1, err) < 0) { printf("E\t%s\n", err); return 1; }
  dlt = pcap_datalink(p);
  nwc_out_hello(&out, dev, dlt, SNAP_HEADERS);
  fflush(stdout);
  struct pollfd fds[2] = { { pcap_get_selectable_fd(p), POLLIN, 0 }, { 0, POLLIN, 0 } };
  uint64_t step = (uint64_t)o->interval_ms * 1000, next = step ? now_us() + step : 0;
  pid_t parent = getppid();
  char buf[256];
  for (;;) {
    if (getppid() != parent) return 0; /* the parent died before PR_SET_PDEATHSIG was set */
    int n = poll(fds, o->serve ? 2 : 1, 100);
    if (n < 0 && errno != EINTR) { printf("E\tpoll: %s\n", strerror(errno)); return 1; }
    if (pcap_dispatch(p, -1, on_packet, NULL) < 0) { printf("E\tcapture: %s\n", pcap_geterr(p)); return 1; }
    int asked = 0;
    if (o->serve && (fds[1].revents & (POLLIN | POLLHUP))) {
      ssize_t r = read(0, buf, sizeof buf);
      if (r <= 0) return 0; /* stdin closed: the engine is gone */
      for (ssize_t i = 0; i < r; i++) asked += buf[i] == '\n';
    }
    uint64_t t = now_us();
    if (step && t >= next) { asked = 1; next = t + step; }
    if (!asked) continue;
    struct nwc_kstats k = { 0 };
    stats(p, &k);
    nwc_out_report(&out, t, &k, max_rss_kb());
    if (fflush(stdout) != 0) return 0; /* the reader went away */
  }
}

int main(int argc, char **argv) {
  struct opts o = { NULL, NULL, NULL, 0, 16384, 0, 5000, 4096 };
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
  signal(SIGPIPE, SIG_IGN);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--serve")) { o.serve = 1; continue; }
    if (i + 1 >= argc) usage();
    const char *v = argv[++i];
    if (!strcmp(a, "-i")) o.dev = v;
    else if (!strcmp(a, "-r")) o.file = v;
    else if (!strcmp(a, "-f")) o.filter = v;
    else if (!strcmp(a, "-t")) o.interval_ms = num(v, 0, 3600000);
    else if (!strcmp(a, "-F")) o.flows = num(v, 1, 1u << 22);
    else if (!strcmp(a, "-T")) o.syn_timeout_ms = num(v, 1, 600000);
    else if (!strcmp(a, "-B")) o.buffer_kb = num(v, 64, 1u << 20);
    else usage();
  }
  if (!o.file && !o.serve && !o.interval_ms) o.interval_ms = 1000;
  if (nwc_out_init(&out, o.flows, (uint64_t)o.syn_timeout_ms * 1000) < 0) { printf("E\tout of memory\n"); return 1; }
  return o.file ? replay(&o) : live(&o);
}
