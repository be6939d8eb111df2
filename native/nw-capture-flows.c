// The flow table: a fixed array of `cap` flows (allocated once), chained hash buckets keyed by a
// seeded hash (random per run, so crafted tuples cannot pile into one bucket), and an LRU list. When
// full, the least recently seen flow is evicted and its unreported bytes go to `other`: a flood of
// random 5-tuples costs at most cap * sizeof(struct nwc_flow) of memory and loses no byte count.
#include <stdlib.h>
#include <string.h>
#include "nw-capture.h"

int nwc_table_init(struct nwc_table *t, uint32_t cap, uint64_t seed) {
  memset(t, 0, sizeof *t);
  if (cap < 1 || cap > (1u << 22)) return -1;
  t->nbuckets = 1;
  while (t->nbuckets < cap * 2) t->nbuckets <<= 1; /* load factor ≤ 0.5 */
  t->flows = calloc(cap, sizeof *t->flows);
  t->buckets = malloc(sizeof *t->buckets * t->nbuckets);
  if (!t->flows || !t->buckets) { nwc_table_free(t); return -1; }
  for (uint32_t i = 0; i < t->nbuckets; i++) t->buckets[i] = -1;
  t->cap = cap;
  t->head = t->tail = -1;
  t->seed = seed | 1;
  return 0;
}

void nwc_table_free(struct nwc_table *t) {
  free(t->flows);
  free(t->buckets);
  t->flows = NULL;
  t->buckets = NULL;
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

/* Same value for both directions of a flow. */
static uint32_t hash(const struct nwc_table *t, uint8_t fam, uint8_t proto, const uint8_t *x, uint16_t xp, const uint8_t *y, uint16_t yp) {
  const uint8_t *lo = x, *hi = y;
  uint16_t lp = xp, hp = yp;
  int c = memcmp(x, y, 16);
  if (c > 0 || (c == 0 && xp > yp)) { lo = y; hi = x; lp = yp; hp = xp; }
  uint64_t w[4], h = t->seed;
  memcpy(w, lo, 16);
  memcpy(w + 2, hi, 16);
  for (int i = 0; i < 4; i++) h = mix(h, w[i]);
  h = mix(h, (uint64_t)fam << 48 | (uint64_t)proto << 32 | (uint64_t)lp << 16 | hp);
  return (uint32_t)h & (t->nbuckets - 1);
}

static void unlink_lru(struct nwc_table *t, int32_t i) {
  struct nwc_flow *f = &t->flows[i];
  if (f->prev >= 0) t->flows[f->prev].next = f->next; else t->head = f->next;
  if (f->next >= 0) t->flows[f->next].prev = f->prev; else t->tail = f->prev;
}

static void push_front(struct nwc_table *t, int32_t i) {
  struct nwc_flow *f = &t->flows[i];
  f->prev = -1;
  f->next = t->head;
  if (t->head >= 0) t->flows[t->head].prev = i; else t->tail = i;
  t->head = i;
}

static void add_dir(struct nwc_dir *to, const struct nwc_dir *d) {
  to->pkts += d->pkts; to->bytes += d->bytes; to->payload += d->payload;
}

/* Frees the least recently seen flow: its unreported counts move to `other`. */
static int32_t evict(struct nwc_table *t) {
  int32_t i = t->tail;
  struct nwc_flow *f = &t->flows[i];
  add_dir(&t->other, &f->ab);
  add_dir(&t->other, &f->ba);
  if (f->hs == 1) t->syn_lost++;
  t->evicted++;
  uint32_t b = hash(t, f->family, f->proto, f->a, f->aport, f->b, f->bport);
  for (int32_t *pp = &t->buckets[b]; *pp >= 0; pp = &t->flows[*pp].chain) {
    if (*pp == i) { *pp = f->chain; break; }
  }
  unlink_lru(t, i);
  t->count--;
  return i;
}

/* A first fragment leaves its ports here; a later one takes them (IP reassembly's key, RFC 791/8200). */
static void fragments(struct nwc_table *t, struct nwc_pkt *p) {
  if (!p->fragment && !(p->more_frags && p->has_ports)) return;
  uint64_t h = t->seed;
  uint64_t w[4];
  memcpy(w, p->src, 16);
  memcpy(w + 2, p->dst, 16);
  for (int i = 0; i < 4; i++) h = mix(h, w[i]);
  struct nwc_frag *fr = &t->frags[mix(h, p->frag_id) % NWC_FRAGS];
  if (!p->fragment) {
    *fr = (struct nwc_frag){ 1, p->family, p->proto, p->frag_id, { 0 }, { 0 }, p->sport, p->dport };
    memcpy(fr->src, p->src, 16);
    memcpy(fr->dst, p->dst, 16);
  } else if (fr->used && fr->family == p->family && fr->proto == p->proto && fr->id == p->frag_id &&
             !memcmp(fr->src, p->src, 16) && !memcmp(fr->dst, p->dst, 16)) {
    p->sport = fr->sport;
    p->dport = fr->dport;
    p->has_ports = 1;
  }
}

void nwc_table_add(struct nwc_table *t, const struct nwc_pkt *pkt, uint64_t ts_us) {
  struct nwc_pkt copy = *pkt, *p = &copy;
  fragments(t, p);
  uint16_t sp = p->has_ports ? p->sport : 0, dp = p->has_ports ? p->dport : 0;
  uint32_t b = hash(t, p->family, p->proto, p->src, sp, p->dst, dp);
  struct nwc_flow *f = NULL;
  int32_t i;
  int fwd = 1; /* packet goes a → b */
  /* Bounded: the table never holds more than cap flows, and the seeded hash spreads them. */
  for (i = t->buckets[b]; i >= 0; i = t->flows[i].chain) {
    struct nwc_flow *c = &t->flows[i];
    if (c->family != p->family || c->proto != p->proto) continue;
    if (c->aport == sp && c->bport == dp && !memcmp(c->a, p->src, 16) && !memcmp(c->b, p->dst, 16)) { f = c; break; }
    if (c->aport == dp && c->bport == sp && !memcmp(c->a, p->dst, 16) && !memcmp(c->b, p->src, 16)) { f = c; fwd = 0; break; }
  }
  if (f) {
    unlink_lru(t, i);
  } else {
    if (t->count == t->cap) {
      i = evict(t);
      b = hash(t, p->family, p->proto, p->src, sp, p->dst, dp); /* unchanged; eviction touched another bucket */
    } else {
      i = (int32_t)t->free_next++;
    }
    f = &t->flows[i];
    memset(f, 0, sizeof *f);
    f->used = 1;
    f->family = p->family;
    f->proto = p->proto;
    memcpy(f->a, p->src, 16);
    memcpy(f->b, p->dst, 16);
    f->aport = sp;
    f->bport = dp;
    f->chain = t->buckets[b];
    t->buckets[b] = i;
    t->count++;
  }
  push_front(t, i);
  struct nwc_dir *d = fwd ? &f->ab : &f->ba;
  d->pkts++;
  d->bytes += p->ip_len;
  d->payload += p->payload_len;

  if (p->proto != 6 || !p->has_flags) return;
  uint8_t fl = p->tcp_flags;
  int syn = fl & 0x02, ack = fl & 0x10, rst = fl & 0x04;
  if (syn && !ack) {
    if (f->hs == 1) return; /* a retransmitted SYN: the same attempt */
    if (!fwd) { /* the SYN came from b (the flow was first seen mid-way): b is the initiator now */
      uint8_t tmp[16];
      memcpy(tmp, f->a, 16); memcpy(f->a, f->b, 16); memcpy(f->b, tmp, 16);
      uint16_t tp = f->aport; f->aport = f->bport; f->bport = tp;
      struct nwc_dir td = f->ab; f->ab = f->ba; f->ba = td;
    }
    f->hs = 1;
    f->syn_us = ts_us;
    t->attempts++;
  } else if (f->hs == 1 && !fwd && (rst || (syn && ack))) {
    f->hs = 2;
    uint64_t dt = ts_us > f->syn_us ? ts_us - f->syn_us : 0;
    if (t->on_handshake) t->on_handshake(t->ctx, f, rst ? NWC_REFUSED : NWC_OK, f->syn_us, dt);
  }
}

uint32_t nwc_table_expire(struct nwc_table *t, uint64_t now_us, uint64_t timeout_us) {
  uint32_t waiting = 0;
  for (int32_t i = t->head; i >= 0; i = t->flows[i].next) {
    struct nwc_flow *f = &t->flows[i];
    if (f->hs != 1) continue;
    if (now_us >= f->syn_us + timeout_us) {
      f->hs = 2;
      if (t->on_handshake) t->on_handshake(t->ctx, f, NWC_TIMEOUT, f->syn_us, 0);
    } else {
      waiting++;
    }
  }
  return waiting;
}
