package io.capstan.apiserver.it.crontab;

/** The observed state of a CronTab. */
public class CronTabStatus {
  private Integer replicas;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }
}
