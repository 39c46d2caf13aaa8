/**
 * Label and field selectors: parsing the query syntax and matching objects. Depends on {@code
 * resources}, {@code json} and {@code errors} only.
 */
package io.capstan.apiserver.selection;
