package io.capstan.apiserver.it.crontab;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** A custom resource type as an operator author writes it with Fabric8. */
@Group("stable.example.com")
@Version("v1")
@Kind("CronTab")
@Plural("crontabs")
public class CronTab extends CustomResource<CronTabSpec, CronTabStatus> implements Namespaced {}
