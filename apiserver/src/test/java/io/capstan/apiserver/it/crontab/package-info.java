/** A Fabric8 custom resource type used by the custom resource ITs. */
package io.capstan.apiserver.it.crontab;
