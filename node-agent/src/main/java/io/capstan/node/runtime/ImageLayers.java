package io.capstan.node.runtime;

import io.capstan.node.graph.GraphDriver;
import io.capstan.node.image.Digest;
import io.capstan.node.image.Image;
import io.capstan.node.image.ImageStore;
import io.capstan.node.image.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unpacks an image's layers into the graph driver, keyed by OCI chain id (parent = the chain id
 * below), so images that share a base share its layers. Layers that are already there are not
 * read again. Concurrent starts of one image unpack each layer once: a lock per chain id makes
 * the second caller wait for the first and then find the layer present.
 */
final class ImageLayers {
    private final ImageStore images;
    private final GraphDriver graph;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    ImageLayers(ImageStore images, GraphDriver graph) {
        this.images = images;
        this.graph = graph;
    }

    /** Makes every layer of {@code image} present; returns the top layer's id (null for no layers). */
    String ensure(Image image) throws IOException {
        List<Digest> chain = image.chainIds();
        String parent = null;
        for (int i = 0; i < chain.size(); i++) {
            String id = chain.get(i).toString();
            if (!graph.hasLayer(id)) {
                apply(id, parent, image.layers().get(i));
            }
            parent = id;
        }
        return parent;
    }

    private void apply(String id, String parent, Layer layer) throws IOException {
        Object lock = locks.computeIfAbsent(id, k -> new Object());
        synchronized (lock) {
            try {
                if (!graph.hasLayer(id)) {
                    try (InputStream tar = images.openLayer(layer)) {
                        graph.applyLayer(id, parent, tar);
                    }
                }
            } finally {
                locks.remove(id, lock);
            }
        }
    }
}
