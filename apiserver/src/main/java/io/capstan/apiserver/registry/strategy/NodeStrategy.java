package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.validation.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * Nodes: the generic rules plus the pod CIDR pair, as kube's v1 conversion and ValidateNodeUpdate.
 * spec.podCIDRs is set from spec.podCIDR when only that is given, and spec.podCIDR is then always
 * podCIDRs[0]; each entry must be a CIDR; once set they may not change ("node updates may not
 * change podCIDR except from "" to valid"), so only the node IPAM controller's first write sets them.
 */
public final class NodeStrategy extends GenericStrategy {
  private static final String CIDR_ERROR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

  public NodeStrategy() {
    super(Names.Format.SUBDOMAIN, true);
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    super.applyDefaults(obj);
    if (!(obj.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    String single = Checks.text(spec, "podCIDR");
    JsonNode all = spec.path("podCIDRs");
    if (all.isEmpty() && !single.isEmpty()) {
      spec.putArray("podCIDRs").add(single);
    } else if (all.isArray() && !all.isEmpty() && all.get(0).isTextual()) {
      spec.put("podCIDR", all.get(0).asText());
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(super.validate(obj));
    JsonNode cidrs = obj.path("spec").path("podCIDRs");
    for (int i = 0; i < cidrs.size(); i++) {
      String c = cidrs.get(i).asText();
      if (!isCidr(c)) {
        errs.add(FieldError.invalid("spec.podCIDRs[" + i + "]", c, CIDR_ERROR));
      }
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = validate(obj);
    JsonNode before = old.path("spec").path("podCIDRs");
    if (!before.isEmpty() && !before.equals(obj.path("spec").path("podCIDRs"))) {
      errs.add(FieldError.forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
    }
    return errs;
  }

  static boolean isCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0 || !Checks.isIp(s.substring(0, slash))) {
      return false;
    }
    String bits = s.substring(slash + 1);
    if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return Integer.parseInt(bits) <= (s.contains(":") ? 128 : 32);
  }
}
