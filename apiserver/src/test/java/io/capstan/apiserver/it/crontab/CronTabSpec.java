package io.capstan.apiserver.it.crontab;

/** The desired state of a CronTab. */
public class CronTabSpec {
  private String cronSpec;
  private String image;
  private Integer replicas;

  public String getCronSpec() {
    return cronSpec;
  }

  public void setCronSpec(String cronSpec) {
    this.cronSpec = cronSpec;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }
}
