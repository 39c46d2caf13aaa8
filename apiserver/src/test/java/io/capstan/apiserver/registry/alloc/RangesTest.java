package io.capstan.apiserver.registry.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RangesTest {

  @Test
  void cidrNumbersUsableAddressesWithoutNetworkAndBroadcast() {
    Ipv4Cidr c = Ipv4Cidr.parse("10.96.0.0/12");
    assertEquals("10.96.0.1", c.address(0));
    assertEquals((1 << 20) - 2, c.usable());
    assertEquals(0, c.offset(Ipv4Cidr.parseIp("10.96.0.1")));
    assertEquals(-1, c.offset(Ipv4Cidr.parseIp("10.96.0.0")), "network address");
    assertEquals(-1, c.offset(Ipv4Cidr.parseIp("10.111.255.255")), "broadcast address");
    assertEquals(-1, c.offset(Ipv4Cidr.parseIp("10.112.0.1")), "outside");
    assertEquals("10.96.0.0/12", Ipv4Cidr.parse("10.100.1.2/12").toString(), "masked to the network");
    assertEquals(-1, Ipv4Cidr.parseIp("10.96.0.256"));
    assertEquals(-1, Ipv4Cidr.parseIp("10.96.0"));
  }

  @Test
  void flagValuesAreChecked() {
    Ranges d = Ranges.defaults();
    assertEquals("30000-32767", d.nodePorts());
    assertEquals("10.96.0.1", d.firstServiceIp());
    assertEquals("30000-30099", Ranges.parse("10.0.0.0/24", "30000+100").nodePorts());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Ranges.parse("10.0.0.0/8", "30000-32767"))
        .getMessage().contains("too large"));
    assertThrows(IllegalArgumentException.class, () -> Ranges.parse("10.0.0.0/31", "30000-32767"));
    assertThrows(IllegalArgumentException.class, () -> Ranges.parse("fd00::/108", "30000-32767"));
    assertThrows(IllegalArgumentException.class, () -> Ranges.parse("10.0.0.0/24", "32767-30000"));
    assertThrows(IllegalArgumentException.class, () -> Ranges.parse("10.0.0.0/24", "abc"));
  }

  @Test
  void bitsFillTheUpperBandFirstThenTheLowerAndReportFull() {
    RangeBits bits = new RangeBits(40, 16);
    Set<Integer> first = new HashSet<>();
    for (int i = 0; i < 24; i++) {
      first.add(bits.takeNext());
    }
    assertTrue(first.stream().allMatch(o -> o >= 16), "upper band first: " + first);
    for (int i = 0; i < 16; i++) {
      assertTrue(bits.takeNext() < 16);
    }
    assertEquals(-1, bits.takeNext());
    bits.release(3);
    assertEquals(3, bits.takeNext());
    assertEquals(false, bits.take(3));
  }
}
