package io.capstan.controllers.nodeipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrSetTest {

  @Test
  void blocksAreHandedOutRoundRobinAndFreed() {
    CidrSet set = new CidrSet("10.244.0.0/22", 24);
    assertEquals(4, set.size());
    assertTrue(set.occupy("10.244.1.0/24"));
    assertEquals("10.244.0.0/24", set.allocateNext());
    assertEquals("10.244.2.0/24", set.allocateNext());
    set.release("10.244.0.0/24");
    assertEquals("10.244.3.0/24", set.allocateNext(), "a freed block is not reused at once");
    assertEquals("10.244.0.0/24", set.allocateNext());
    assertNull(set.allocateNext());
  }

  @Test
  void foreignBlocksAndBadSettingsAreRefused() {
    CidrSet set = new CidrSet("10.244.0.0/16", 24);
    assertFalse(set.occupy("10.245.0.0/24"), "outside");
    assertFalse(set.occupy("10.244.0.0/25"), "other mask");
    assertFalse(set.occupy("10.244.0.128/24"), "not aligned");
    assertFalse(set.occupy("garbage"));
    assertThrows(IllegalArgumentException.class, () -> new CidrSet("10.244.0.0/16", 8));
    assertThrows(IllegalArgumentException.class, () -> new CidrSet("10.0.0.0/8", 25));
    assertThrows(IllegalArgumentException.class, () -> new CidrSet("10.244.0.0", 24));
  }
}
