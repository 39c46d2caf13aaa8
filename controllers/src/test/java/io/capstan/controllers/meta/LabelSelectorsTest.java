package io.capstan.controllers.meta;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
  @Test
  void nullSelectsNothingAndEmptySelectsEverything() {
    assertFalse(LabelSelectors.matches(null, Map.of("a", "1")));
    assertTrue(LabelSelectors.matches(new LabelSelector(), Map.of()));
    assertTrue(LabelSelectors.matches(new LabelSelector(), null));
  }

  @Test
  void matchLabelsAndEveryOperatorMustAllHold() {
    LabelSelector s = new LabelSelectorBuilder()
        .addToMatchLabels("app", "web")
        .addNewMatchExpression().withKey("tier").withOperator("In").withValues("front", "edge").endMatchExpression()
        .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("prod").endMatchExpression()
        .addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression()
        .addNewMatchExpression().withKey("legacy").withOperator("DoesNotExist").endMatchExpression()
        .build();
    assertTrue(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge", "team", "x")));
    assertTrue(LabelSelectors.matches(s, Map.of("app", "web", "tier", "front", "team", "", "env", "dev")));
    assertFalse(LabelSelectors.matches(s, Map.of("app", "api", "tier", "edge", "team", "x")), "matchLabels");
    assertFalse(LabelSelectors.matches(s, Map.of("app", "web", "tier", "back", "team", "x")), "In");
    assertFalse(LabelSelectors.matches(s, Map.of("app", "web", "team", "x")), "In without the label");
    assertFalse(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge", "team", "x", "env", "prod")), "NotIn");
    assertFalse(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge")), "Exists");
    assertFalse(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge", "team", "x", "legacy", "")), "DoesNotExist");
  }

  @Test
  void containsAllComparesValues() {
    assertTrue(LabelSelectors.containsAll(Map.of("a", "1", "b", "2"), Map.of("a", "1")));
    assertFalse(LabelSelectors.containsAll(Map.of("a", "2"), Map.of("a", "1")));
    assertTrue(LabelSelectors.containsAll(null, null));
  }
}
