/**
 * Helpers shared by the controllers' ITs: an API server, client and started controller manager
 * ({@code ControllerFixture}), polling until a condition holds ({@code Await}), clients ({@code
 * Clients}), a stand-in kubelet ({@code TestKubelet}), an ordered record of pod events ({@code
 * PodEvents}) and Services with ready or unready pods behind them ({@code ServiceFixtures}).
 */
package io.capstan.controllers.testing;
