package io.capstan.node.image;

import java.util.ArrayList;
import java.util.List;

/**
 * An image in the store. Its {@code id} is the digest of its config blob (as Docker shows it);
 * {@code manifestDigest} is the manifest the references point to; {@code references} are the
 * normalized tags that name it (empty for a dangling image kept because a container uses it);
 * {@code layers} are bottom first; {@code unpackedSize} is the sum of the uncompressed layer sizes.
 */
public record Image(Digest id, Digest manifestDigest, List<String> references, ImageConfig config,
                    List<Layer> layers, long unpackedSize) {
    public Image {
        references = List.copyOf(references);
        layers = List.copyOf(layers);
    }

    /**
     * The OCI chain ids of the layers, bottom first: the first is the first layer's diffID, each
     * next one is sha256 of the previous chain id, a space and the layer's diffID. A graph driver
     * keys an unpacked layer by its chain id, so images that share a base share its layers.
     */
    public List<Digest> chainIds() {
        return chainIds(layers.stream().map(Layer::diffId).toList());
    }

    /** The chain ids of a stack of diffIDs, bottom first. */
    public static List<Digest> chainIds(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest chain = null;
        for (Digest diffId : diffIds) {
            chain = chain == null ? diffId : Digest.of(chain + " " + diffId);
            out.add(chain);
        }
        return List.copyOf(out);
    }

    /** The references plus, for each repository, {@code repo@<manifest digest>}. */
    public List<String> referencesWithDigests() {
        List<String> out = new ArrayList<>(references);
        for (String r : references) {
            String repoDigest = ImageReference.parse(r).withDigest(manifestDigest).toString();
            if (!out.contains(repoDigest)) {
                out.add(repoDigest);
            }
        }
        return List.copyOf(out);
    }
}
