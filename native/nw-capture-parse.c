// Packet and DNS decoding over hostile bytes. Every read is checked against the captured length
// first; every loop has a fixed bound (IPv6 extension headers, VLAN tags, DNS records and labels).
#include <string.h>
#include "nw-capture.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]; }

/* Ethertype → offset of the IP header, or 0 if this frame carries no IP. */
static size_t link_ip(int dlt, const uint8_t *b, size_t cap, int *family) {
  uint32_t af;
  uint16_t et;
  size_t off;
  switch (dlt) {
  case NWC_DLT_EN10MB:
    if (cap < 14) return 0;
    et = be16(b + 12);
    off = 14;
    for (int tags = 0; tags < 2 && (et == 0x8100 || et == 0x88a8); tags++) { /* 802.1Q / QinQ */
      if (cap < off + 4) return 0;
      et = be16(b + off + 2);
      off += 4;
    }
    break;
  case NWC_DLT_LINUX_SLL: /* type(2) arphrd(2) addrlen(2) addr(8) protocol(2) */
    if (cap < 16) return 0;
    et = be16(b + 14);
    off = 16;
    break;
  case NWC_DLT_LINUX_SLL2: /* protocol(2) reserved(2) ifindex(4) arphrd(2) type(1) addrlen(1) addr(8) */
    if (cap < 20) return 0;
    et = be16(b);
    off = 20;
    break;
  case NWC_DLT_NULL:
  case NWC_DLT_LOOP:
    if (cap < 4) return 0;
    if (dlt == NWC_DLT_LOOP) af = be32(b);
    else memcpy(&af, b, 4); /* host order of the machine that wrote it: try both */
    if (af == 2 || af == 0x02000000) { *family = 4; return 4; }
    /* AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS) */
    if (af == 24 || af == 28 || af == 30 || af == 0x18000000 || af == 0x1c000000 || af == 0x1e000000) { *family = 6; return 4; }
    return 0;
  case NWC_DLT_RAW:
  case NWC_DLT_RAW_FILE:
    if (cap < 1) return 0;
    *family = b[0] >> 4;
    return *family == 4 || *family == 6 ? (size_t)-1 : 0; /* -1: the IP header starts at 0 */
  case NWC_DLT_IPV4: *family = 4; return (size_t)-1;
  case NWC_DLT_IPV6: *family = 6; return (size_t)-1;
  case NWC_DLT_PKTAP:
  case NWC_DLT_USER2: {
    /* Apple's metadata header (little-endian, as tcpdump reads it), then the frame in its own link type.
       One level only: a PKTAP frame inside PKTAP is refused, so hostile input cannot recurse. */
    if (cap < NWC_PKTAP_MIN) return 0;
    uint32_t hl = le32(b), rectype = le32(b + 4), inner = le32(b + 8);
    if (hl < NWC_PKTAP_MIN || hl >= cap || rectype != 1 || inner == NWC_DLT_PKTAP || inner == NWC_DLT_USER2) return 0;
    size_t o = link_ip((int)inner, b + hl, cap - hl, family);
    if (o == 0) return 0;
    return o == (size_t)-1 ? hl : hl + o;
  }
  default: return 0;
  }
  if (et == 0x0800) *family = 4;
  else if (et == 0x86dd) *family = 6;
  else return 0;
  return off;
}

/* Transport header at l4 (cap bytes captured, len bytes per the IP header). */
static void transport(struct nwc_pkt *p, const uint8_t *l4, size_t cap, uint32_t len) {
  if (p->fragment) { p->payload_len = len; return; } /* all of a later fragment is transport payload */
  if ((p->proto == 6 || p->proto == 17 || p->proto == 132) && cap >= 4 && len >= 4) {
    p->sport = be16(l4);
    p->dport = be16(l4 + 2);
    p->has_ports = 1;
  }
  if (p->proto == 17 && len >= 8) {
    p->payload_len = len - 8;
    if (cap > 8) { p->payload = l4 + 8; p->payload_cap = cap - 8; }
  } else if (p->proto == 6 && cap >= 14 && len >= 20) {
    p->tcp_flags = l4[13];
    p->has_flags = 1;
    uint32_t doff = (uint32_t)(l4[12] >> 4) * 4;
    if (doff >= 20 && doff <= len) { /* a bogus data offset leaves the payload at 0 */
      p->payload_len = len - doff;
      if (cap > doff) { p->payload = l4 + doff; p->payload_cap = cap - doff; }
    }
  }
}

static int ipv4(struct nwc_pkt *p, const uint8_t *ip, size_t cap, uint32_t wire) {
  if (cap < 20 || ip[0] >> 4 != 4) return 0;
  uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
  uint32_t tot = be16(ip + 2);
  if (tot == 0) tot = wire; /* TSO/GSO super-packets carry 0 here: the frame length stands */
  if (wire && tot > wire) tot = wire; /* a header claiming more than the frame held: the frame stands */
  if (ihl < 20 || cap < ihl || tot < ihl) return 0;
  p->family = 4;
  p->proto = ip[9];
  memcpy(p->src, ip + 12, 4);
  memcpy(p->dst, ip + 16, 4);
  p->ip_len = tot;
  if (be16(ip + 6) & 0x1fff) p->fragment = 1; /* offset ≠ 0: a later fragment */
  p->more_frags = (ip[6] & 0x20) != 0;
  p->frag_id = be16(ip + 4);
  size_t c = cap - ihl;
  uint32_t len = tot - ihl;
  transport(p, ip + ihl, c < len ? c : len, len);
  return 1;
}

static int ipv6(struct nwc_pkt *p, const uint8_t *ip, size_t cap, uint32_t wire) {
  if (cap < 40 || ip[0] >> 4 != 6) return 0;
  uint32_t plen = be16(ip + 4);
  if ((plen == 0 || plen + 40 > wire) && wire >= 40) plen = wire - 40; /* jumbogram, GSO, or a lie */
  p->family = 6;
  memcpy(p->src, ip + 8, 16);
  memcpy(p->dst, ip + 24, 16);
  p->ip_len = plen + 40;
  uint8_t nh = ip[6];
  size_t off = 40;
  /* At most 8 extension headers, each at least 8 bytes long: the chain ends in bounded steps. */
  for (int i = 0; i < 8; i++) {
    size_t hl;
    if (nh == 0 || nh == 43 || nh == 60 || nh == 135 || nh == 139 || nh == 140) {
      if (cap < off + 2) break;
      hl = ((size_t)ip[off + 1] + 1) * 8;
    } else if (nh == 44) { /* fragment header: fixed 8 bytes */
      if (cap < off + 8) break;
      if (be16(ip + off + 2) & 0xfff8) p->fragment = 1;
      p->more_frags = ip[off + 3] & 1;
      p->frag_id = be32(ip + off + 4);
      hl = 8;
    } else if (nh == 51) { /* AH: length in 4-byte units, minus 2 */
      if (cap < off + 2) break;
      hl = ((size_t)ip[off + 1] + 2) * 4;
    } else {
      break;
    }
    nh = ip[off];
    off += hl;
    if (off > 40 + (size_t)plen) { p->proto = nh; return 1; } /* chain longer than the packet */
  }
  p->proto = nh;
  if (off > cap) return 1; /* extension headers not captured: no transport header */
  uint32_t len = plen + 40 - (uint32_t)off;
  size_t c = cap - off;
  transport(p, ip + off, c < len ? c : len, len);
  return 1;
}

int nwc_parse_packet(int dlt, const uint8_t *buf, size_t caplen, uint32_t wirelen, struct nwc_pkt *out) {
  memset(out, 0, sizeof *out);
  int family = 0;
  size_t off = link_ip(dlt, buf, caplen, &family);
  if (off == 0) return 0;
  if (off == (size_t)-1) off = 0;
  const uint8_t *ip = buf + off;
  size_t cap = caplen - off;
  uint32_t wire = wirelen > off ? wirelen - (uint32_t)off : 0;
  if (cap >= 1 && ip[0] >> 4 != family) return 0;
  return family == 4 ? ipv4(out, ip, cap, wire) : family == 6 ? ipv6(out, ip, cap, wire) : 0;
}

const uint8_t *nwc_dns_payload(const struct nwc_pkt *p, size_t *len) {
  if (!p->has_ports || !p->payload) return NULL;
  if (p->proto == 17 && (p->sport == 53 || p->dport == 53 || p->sport == 5353 || p->dport == 5353)) {
    *len = p->payload_cap < p->payload_len ? p->payload_cap : p->payload_len;
    return p->payload;
  }
  /* DNS over TCP: only a segment that starts with a whole length-prefixed message (RFC 1035 4.2.2). */
  if (p->proto == 6 && (p->sport == 53 || p->dport == 53) && p->payload_cap >= 2 + 12) {
    size_t n = be16(p->payload);
    if (n + 2 > p->payload_cap || n + 2 > p->payload_len) return NULL;
    *len = n;
    return p->payload + 2;
  }
  return NULL;
}

/* Reads the name at *pos: appends its presentation form to out (if out) and moves *pos past it.
 * Returns 0 if it breaks a rule. */
static int dns_name(const uint8_t *m, size_t len, size_t *pos, char *out) {
  size_t p = *pos, limit = *pos, wire = 0, o = 0;
  int jumped = 0;
  for (;;) {
    if (p >= len) return 0;
    uint8_t l = m[p];
    if ((l & 0xc0) == 0xc0) {
      if (p + 1 >= len) return 0;
      size_t target = (size_t)(l & 0x3f) << 8 | m[p + 1];
      if (target >= limit) return 0; /* forward, self or loop: each jump must go further back */
      if (!jumped) *pos = p + 2;
      jumped = 1;
      limit = target;
      p = target;
      continue;
    }
    if (l & 0xc0) return 0; /* 0x40/0x80: extended label types, obsolete */
    if (l == 0) break;
    if (p + 1 + l > len || (wire += l + 1u) > 254) return 0;
    for (size_t i = 0; i < l && out; i++) {
      uint8_t c = m[p + 1 + i];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        out[o++] = (char)c;
      } else { /* \DDD: also dots, tabs, commas and backslashes inside a label */
        out[o++] = '\\';
        out[o++] = (char)('0' + c / 100);
        out[o++] = (char)('0' + c / 10 % 10);
        out[o++] = (char)('0' + c % 10);
      }
    }
    if (out) out[o++] = '.';
    p += 1 + l;
  }
  if (!jumped) *pos = p + 1;
  if (out) {
    if (o == 0) out[o++] = '.'; /* the root */
    else if (o > 1) o--;         /* no trailing dot */
    out[o] = 0;
  }
  return 1;
}

int nwc_parse_dns(const uint8_t *m, size_t len, struct nwc_dns *d) {
  memset(d, 0, sizeof *d);
  if (len < 12) return 0;
  d->id = be16(m);
  d->flags = be16(m + 2);
  d->qdcount = be16(m + 4);
  d->ancount = be16(m + 6);
  size_t pos = 12;
  /* The first question is the one reported; at most 16 are walked to reach the answers. */
  for (unsigned q = 0; q < d->qdcount && q < 16; q++) {
    if (!dns_name(m, len, &pos, q == 0 ? d->qname : NULL) || pos + 4 > len) { d->malformed = 1; return 1; }
    if (q == 0) d->qtype = be16(m + pos);
    pos += 4;
  }
  if (d->qdcount > 16) { d->malformed = 1; return 1; }
  for (unsigned a = 0; a < d->ancount && a < 64; a++) {
    if (!dns_name(m, len, &pos, NULL) || pos + 10 > len) { d->malformed = 1; return 1; }
    uint16_t type = be16(m + pos), rdlen = be16(m + pos + 8);
    pos += 10;
    if (pos + rdlen > len) { d->malformed = 1; return 1; }
    size_t alen = type == 1 ? 4 : type == 28 ? 16 : 0;
    if (alen && rdlen == alen && d->naddr < NWC_DNS_ADDRS) {
      d->addr_family[d->naddr] = alen == 4 ? 4 : 6;
      memcpy(d->addr[d->naddr++], m + pos, alen);
    }
    pos += rdlen;
  }
  return 1;
}
