/** Helpers shared by the controllers' ITs: polling until a condition holds, test objects. */
package io.capstan.controllers.testing;
