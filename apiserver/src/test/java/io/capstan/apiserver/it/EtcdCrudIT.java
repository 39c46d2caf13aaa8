package io.capstan.apiserver.it;

import io.capstan.apiserver.testing.ApiServerFixture;

/** {@link CrudIT} with the API server on a real etcd instead of SQLite. */
class EtcdCrudIT extends CrudIT implements ApiServerFixture.OnEtcd {}
