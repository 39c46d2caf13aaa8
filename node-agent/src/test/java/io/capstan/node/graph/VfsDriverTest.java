package io.capstan.node.graph;

/** The graph driver contract against the vfs driver. */
class VfsDriverTest extends GraphDriverContract {

    @Override
    String driverName() {
        return "vfs";
    }
}
