// Report lines. Flows are printed as deltas once per report; handshake and DNS lines are held in a
// fixed 1 MiB buffer until then (when full, further events are counted as lost, not kept).
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "nw-capture-out.h"

static const char *addr(int family, const uint8_t *a, char *buf) {
  return inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, INET6_ADDRSTRLEN) ? buf : "-";
}

/* Appends one line to the event buffer, or counts it lost. */
static void event(struct nwc_out *o, const char *fmt, ...) {
  size_t room = NWC_EVENTS_BYTES - o->ev_len;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(o->events + o->ev_len, room, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= room) { o->events[o->ev_len] = 0; o->events_lost++; return; }
  o->ev_len += (size_t)n;
}

static void on_handshake(void *ctx, const struct nwc_flow *f, enum nwc_outcome oc, uint64_t syn_us, uint64_t connect_us) {
  static const char *names[] = { "ok", "refused", "timeout" };
  char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
  event(ctx, "C\t%llu\t%s\t%u\t%s\t%u\t%s\t%llu\n", (unsigned long long)syn_us, addr(f->family, f->a, a), f->aport,
        addr(f->family, f->b, b), f->bport, names[oc], (unsigned long long)connect_us);
}

int nwc_out_init(struct nwc_out *o, uint32_t flows, uint64_t syn_timeout_us) {
  memset(o, 0, sizeof *o);
  o->f = stdout;
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof seed, 0) != sizeof seed) seed = (uint64_t)(uintptr_t)o ^ 0x5bd1e995;
  o->events = malloc(NWC_EVENTS_BYTES);
  if (!o->events || nwc_table_init(&o->t, flows, seed) < 0) return -1;
  o->events[0] = 0;
  o->t.on_handshake = on_handshake;
  o->t.ctx = o;
  o->syn_timeout_us = syn_timeout_us;
  return 0;
}

void nwc_out_free(struct nwc_out *o) {
  nwc_table_free(&o->t);
  free(o->events);
  o->events = NULL;
}

void nwc_out_hello(struct nwc_out *o, const char *source, int dlt, int snap) {
  /* The source name goes out as one field: tabs and newlines in it would split the line. */
  fputs("H\t1\t", o->f);
  for (const char *c = source; *c; c++) fputc(*c == '\t' || *c == '\n' ? ' ' : *c, o->f);
  fprintf(o->f, "\t%d\t%d\t%u\n", dlt, snap, o->t.cap);
}

static void dns(struct nwc_out *o, const struct nwc_pkt *p, uint64_t ts) {
  size_t len;
  const uint8_t *m = nwc_dns_payload(p, &len);
  struct nwc_dns d;
  if (!m || !nwc_parse_dns(m, len, &d)) return;
  char answers[NWC_DNS_ADDRS * (INET6_ADDRSTRLEN + 1) + 2] = "";
  size_t al = 0;
  for (int i = 0; i < d.naddr; i++) {
    char a[INET6_ADDRSTRLEN];
    al += (size_t)snprintf(answers + al, sizeof answers - al, "%s%s", i ? "," : "", addr(d.addr_family[i], d.addr[i], a));
  }
  char s[INET6_ADDRSTRLEN], t[INET6_ADDRSTRLEN];
  event(o, "D\t%llu\t%u\t%s\t%u\t%s\t%u\t%u\t%u\t%u\t%u\t%u\t%s\t%u\t%s\t%s\n", (unsigned long long)ts, p->proto,
        addr(p->family, p->src, s), p->sport, addr(p->family, p->dst, t), p->dport, d.id, d.flags >> 15,
        (d.flags >> 11) & 15, d.flags & 15, d.qtype, d.qname[0] ? d.qname : "-", d.ancount, al ? answers : "-",
        d.malformed ? "malformed" : "ok");
}

void nwc_out_packet(struct nwc_out *o, int dlt, const uint8_t *b, size_t caplen, uint32_t wirelen, uint64_t ts) {
  struct nwc_pkt p;
  o->pkts++;
  o->bytes += wirelen;
  o->captured += caplen;
  if (!nwc_parse_packet(dlt, b, caplen, wirelen, &p)) { o->undecoded++; return; }
  nwc_table_add(&o->t, &p, ts);
  dns(o, &p, ts);
}

static void dir(FILE *f, const struct nwc_dir *d) {
  fprintf(f, "\t%llu\t%llu\t%llu", (unsigned long long)d->pkts, (unsigned long long)d->bytes, (unsigned long long)d->payload);
}

void nwc_out_report(struct nwc_out *o, uint64_t now, const struct nwc_kstats *k, long maxrss_kb) {
  FILE *f = o->f;
  struct nwc_table *t = &o->t;
  uint32_t waiting = nwc_table_expire(t, now, o->syn_timeout_us);
  for (int32_t i = t->head; i >= 0; i = t->flows[i].next) {
    struct nwc_flow *fl = &t->flows[i];
    if (!fl->ab.pkts && !fl->ba.pkts) continue;
    char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
    fprintf(f, "F\t%u\t%s\t%u\t%s\t%u", fl->proto, addr(fl->family, fl->a, a), fl->aport, addr(fl->family, fl->b, b), fl->bport);
    dir(f, &fl->ab);
    dir(f, &fl->ba);
    fputc('\n', f);
    memset(&fl->ab, 0, sizeof fl->ab);
    memset(&fl->ba, 0, sizeof fl->ba);
  }
  fputc('O', f);
  dir(f, &t->other);
  fprintf(f, "\t%llu\n", (unsigned long long)t->evicted);
  fputs(o->events, f);
  char kd[64] = "-\t-\t-";
  if (k && k->ok) { /* unsigned subtraction: right across the counters' 32-bit wrap */
    snprintf(kd, sizeof kd, "%u\t%u\t%u", k->drop - o->last.drop, k->ifdrop - o->last.ifdrop, k->recv - o->last.recv);
    o->last = *k;
  }
  fprintf(f, "S\t%llu\t%llu\t%llu\t%llu\t%llu\t%s\t%u\t%u\t%llu\t%llu\t%llu\t%ld\n.\n", (unsigned long long)now,
          (unsigned long long)o->pkts, (unsigned long long)o->bytes, (unsigned long long)o->captured,
          (unsigned long long)o->undecoded, kd, t->count, waiting, (unsigned long long)t->syn_lost,
          (unsigned long long)t->attempts, (unsigned long long)o->events_lost, maxrss_kb);
  memset(&t->other, 0, sizeof t->other);
  t->evicted = t->syn_lost = t->attempts = 0;
  o->pkts = o->bytes = o->captured = o->undecoded = o->events_lost = 0;
  o->ev_len = 0;
  o->events[0] = 0;
}
