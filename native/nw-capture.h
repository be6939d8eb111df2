// nw-capture: the packet decoder and the flow table, apart from libpcap so the fuzz target
// (native/fuzz/fuzz-capture.c) drives exactly the code the helper runs on hostile bytes.
#ifndef NW_CAPTURE_H
#define NW_CAPTURE_H
#include <stddef.h>
#include <stdint.h>

/* Link types, as pcap_datalink() and pcap files number them (values from pcap/dlt.h). */
#define NWC_DLT_NULL 0        /* BSD loopback (macOS lo0): 4-byte address family, host order */
#define NWC_DLT_EN10MB 1      /* Ethernet, with up to two 802.1Q/802.1ad tags */
#define NWC_DLT_RAW 12        /* raw IP (DLT_RAW on Linux/macOS) */
#define NWC_DLT_RAW_FILE 101  /* raw IP as pcap files number it (LINKTYPE_RAW) */
#define NWC_DLT_LOOP 108      /* OpenBSD loopback: family in network order */
#define NWC_DLT_LINUX_SLL 113 /* Linux "cooked" v1 (`any`, libpcap < 1.10) */
#define NWC_DLT_IPV4 228
#define NWC_DLT_IPV6 229
#define NWC_DLT_LINUX_SLL2 276 /* Linux "cooked" v2 (`any`, libpcap >= 1.10) */
#define NWC_DLT_USER2 149     /* Apple PKTAP as macOS's live captures number it (DLT_PKTAP = DLT_USER2) */
#define NWC_DLT_PKTAP 258     /* Apple PKTAP in files (LINKTYPE_PKTAP): what macOS tcpdump writes by default */
#define NWC_PKTAP_MIN 108     /* sizeof(struct pktap_header): len type dlt ifname[24] flags pfamily llhdrlen
                                 lltrlrlen pid cmdname[20] svc_class iftype ifunit epid ecmdname[20] */

/* What the decoder saw in one packet. Lengths come from the IP header (the wire), not the capture. */
struct nwc_pkt {
  uint8_t family;     /* 4 or 6; 0 = not IP or undecodable */
  uint8_t proto;      /* IP protocol number of the transport header (after IPv6 extensions) */
  uint8_t tcp_flags;  /* TCP flags byte; valid when has_flags */
  uint8_t has_ports;  /* the transport header's ports were captured */
  uint8_t has_flags;
  uint8_t fragment;   /* 1 = a later fragment: no transport header in it */
  uint8_t more_frags; /* more fragments follow this one (MF / M flag) */
  uint32_t frag_id;   /* IPv4 identification or IPv6 fragment header identification */
  uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
  uint16_t sport, dport;
  uint32_t ip_len;      /* bytes of the IP packet, header included */
  uint32_t payload_len; /* transport payload bytes (UDP/TCP data), per the headers */
  const uint8_t *payload; /* captured part of the transport payload (may be shorter) */
  size_t payload_cap;
};

/* Decodes one captured frame. wirelen is the frame's length on the wire (pcap's len). Returns 1 for an
 * IP packet, 0 otherwise. Reads only buf[0, caplen) and never loops more than a fixed bound. */
int nwc_parse_packet(int dlt, const uint8_t *buf, size_t caplen, uint32_t wirelen, struct nwc_pkt *out);

#define NWC_DNS_ADDRS 8
#define NWC_NAME_MAX 1100 /* 255 wire octets, each at most 4 presentation chars ("\DDD"), dots, NUL */

struct nwc_dns {
  uint16_t id, flags, qdcount, ancount, qtype;
  char qname[NWC_NAME_MAX]; /* presentation form, every byte outside [A-Za-z0-9_-] escaped; "" if none */
  uint8_t naddr;
  uint8_t addr_family[NWC_DNS_ADDRS];
  uint8_t addr[NWC_DNS_ADDRS][16];
  uint8_t malformed; /* a record ran past the message, or a name broke the rules */
};

/* Decodes a DNS message (RFC 1035 4.1): header, first question, A/AAAA answers. Returns 0 if shorter
 * than a header. Compression pointers must point strictly before the previous jump's target, so a
 * name is read in at most len steps. */
int nwc_parse_dns(const uint8_t *m, size_t len, struct nwc_dns *out);

/* The DNS message in a decoded packet (UDP or TCP port 53, UDP 5353), or NULL. */
const uint8_t *nwc_dns_payload(const struct nwc_pkt *p, size_t *len);

/* ---- flow table (nw-capture-flows.c) ---- */

struct nwc_dir { uint64_t pkts, bytes, payload; };

struct nwc_flow {
  uint8_t family, proto, used;
  uint8_t hs;      /* handshake: 0 none, 1 SYN seen (waiting), 2 answered */
  uint8_t a[16], b[16]; /* a = the side that sent the first packet seen (the SYN, for TCP) */
  uint16_t aport, bport;
  struct nwc_dir ab, ba; /* deltas since the last report */
  uint64_t syn_us; /* first SYN of the attempt in progress (µs since the epoch) */
  int32_t prev, next;   /* LRU list: head is the most recent */
  int32_t chain;        /* next index in the hash bucket */
};

enum nwc_outcome { NWC_OK, NWC_REFUSED, NWC_TIMEOUT };

/* First fragments seen, so later fragments (no ports in them) are credited to the same flow. */
#define NWC_FRAGS 256
struct nwc_frag { uint8_t used, family, proto; uint32_t id; uint8_t src[16], dst[16]; uint16_t sport, dport; };

struct nwc_table {
  struct nwc_flow *flows;
  struct nwc_frag frags[NWC_FRAGS]; /* direct-mapped: a newer datagram overwrites an older one */
  int32_t *buckets;
  uint32_t cap, nbuckets, count, free_next;
  int32_t head, tail;
  uint64_t seed;
  struct nwc_dir other; /* deltas of flows evicted before they were reported */
  uint64_t evicted, syn_lost; /* evicted this interval; pending handshakes lost with them */
  uint64_t attempts;    /* SYNs that began an attempt, this interval */
  /* Called when a handshake's outcome is known; connect_us is SYN→SYN-ACK for NWC_OK. */
  void (*on_handshake)(void *ctx, const struct nwc_flow *f, enum nwc_outcome o, uint64_t syn_us, uint64_t connect_us);
  void *ctx;
};

/* cap flows at most; memory is allocated once here and never grows. Returns 0 on success. */
int nwc_table_init(struct nwc_table *t, uint32_t cap, uint64_t seed);
void nwc_table_free(struct nwc_table *t);
/* Accounts one decoded IP packet seen at ts_us. */
void nwc_table_add(struct nwc_table *t, const struct nwc_pkt *p, uint64_t ts_us);
/* Reports SYNs unanswered for timeout_us as NWC_TIMEOUT. Returns how many still wait. */
uint32_t nwc_table_expire(struct nwc_table *t, uint64_t now_us, uint64_t timeout_us);

#endif
