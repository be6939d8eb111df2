// libFuzzer target for nw-capture's hostile-input code: the packet decoder, the DNS decoder, the flow
// table (64 flows, so eviction and the fragment map run constantly) and the report writer.
// Input: byte 0 picks the link type, the rest is the captured frame. Built and run by run.sh.
#include <stdlib.h>
#include <string.h>
#include "../nw-capture.h"
#include "../nw-capture-out.h"

/* Keep in step with pcap-seeds.js. */
static const int dlts[] = { NWC_DLT_EN10MB, NWC_DLT_LINUX_SLL, NWC_DLT_LINUX_SLL2, NWC_DLT_NULL, NWC_DLT_RAW,
                            NWC_DLT_RAW_FILE, NWC_DLT_LOOP, NWC_DLT_IPV4, NWC_DLT_IPV6, NWC_DLT_PKTAP, NWC_DLT_USER2 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static struct nwc_out out;
  static int ready;
  static uint64_t ts = 1000000, n;
  if (!ready) {
    if (nwc_out_init(&out, 64, 3000000) < 0) abort();
    out.f = fopen("/dev/null", "w");
    ready = 1;
  }
  if (size < 1) return 0;
  int dlt = dlts[data[0] % (sizeof dlts / sizeof dlts[0])];
  size_t len = size - 1;
  /* An exact-size copy: a read one byte past the frame is an ASan report. */
  uint8_t *b = malloc(len ? len : 1);
  memcpy(b, data + 1, len);
  /* High bits of byte 0: sometimes the wire length exceeds what was captured (snap length). */
  uint32_t wire = (uint32_t)len + (uint32_t)(data[0] >> 4) * 977;
  ts += (uint64_t)(data[0] & 0x0f) * 250000;
  nwc_out_packet(&out, dlt, b, len, wire, ts);
  struct nwc_dns d; /* the whole input as a DNS message too: names, pointers, records */
  nwc_parse_dns(b, len, &d);
  if (++n % 256 == 0) nwc_out_report(&out, ts, NULL, 0);
  free(b);
  return 0;
}
