package io.lvs.operator.resolve;

/** Where a member came from; reported in RealServerPool status. */
public enum MemberSource {
  SERVICE("serviceRef"),
  POD("podSelector"),
  NODE("nodeSelector"),
  STATIC("static");

  private final String field;

  MemberSource(String field) {
    this.field = field;
  }

  /** The spec field that produced the member. */
  public String field() {
    return field;
  }
}
