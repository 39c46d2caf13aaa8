/**
 * Controllers and the scheduler: a small runtime modelled on controller-runtime over Fabric8
 * informers, one package per controller. Controllers are clients of the API only, never of
 * storage. Empty until the controllers milestone (issue 4); see docs/architecture.md.
 */
package io.capstan.controllers;
