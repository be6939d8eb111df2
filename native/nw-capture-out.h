// nw-capture: turning decoded packets into report lines (format: README, "Packet capture (helper)").
#ifndef NW_CAPTURE_OUT_H
#define NW_CAPTURE_OUT_H
#include <stdio.h>
#include "nw-capture.h"

#define NWC_EVENTS_BYTES (1u << 20) /* handshake and DNS lines held between reports */

/* pcap_stats counters (cumulative, 32-bit, wrapping); ok = 0 when reading a file. */
struct nwc_kstats { int ok; unsigned recv, drop, ifdrop; };

struct nwc_out {
  FILE *f;
  struct nwc_table t;
  uint64_t syn_timeout_us;
  char *events;
  size_t ev_len;
  /* this interval: */
  uint64_t pkts, bytes, captured, undecoded, events_lost;
  struct nwc_kstats last; /* for kernel deltas */
};

int nwc_out_init(struct nwc_out *o, uint32_t flows, uint64_t syn_timeout_us);
void nwc_out_free(struct nwc_out *o);
void nwc_out_hello(struct nwc_out *o, const char *source, int dlt, int snap);
void nwc_out_packet(struct nwc_out *o, int dlt, const uint8_t *b, size_t caplen, uint32_t wirelen, uint64_t ts_us);
/* Prints the report for the interval ending at now_us and starts the next one. */
void nwc_out_report(struct nwc_out *o, uint64_t now_us, const struct nwc_kstats *k, long maxrss_kb);
#endif
