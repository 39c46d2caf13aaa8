/**
 * The schema side of CustomResourceDefinitions (apiextensions.k8s.io/v1) as pure functions over
 * Jackson trees: {@link io.capstan.apiserver.crd.StructuralSchema} parses an {@code
 * openAPIV3Schema} and checks that it is structural; {@link io.capstan.apiserver.crd.SchemaPruner},
 * {@link io.capstan.apiserver.crd.SchemaDefaulter} and {@link io.capstan.apiserver.crd.SchemaValidator}
 * apply it to custom objects (in that order, as apiextensions-apiserver does on writes); {@link
 * io.capstan.apiserver.crd.CrdValidation} validates and defaults the CustomResourceDefinition itself.
 * Nothing here touches storage or HTTP.
 */
package io.capstan.apiserver.crd;
