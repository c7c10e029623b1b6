package org.edgeha.recovery.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import org.edgeha.recovery.api.ConnectionType;

/** HA-aware files (kind {@code file}): {@link FileChannel}s, reopened by path. */
final class FileType implements ConnectionType<FileChannel> {

    static final String KIND = "file";

    private final Supplier<LostClassifier> classifier;

    FileType(Supplier<LostClassifier> classifier) {
        this.classifier = classifier;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<FileChannel> resourceType() {
        return FileChannel.class;
    }

    @Override
    public boolean isConnectionLost(Throwable failure) {
        return classifier.get().isLost(failure);
    }

    @Override
    public void close(FileChannel resource) throws IOException {
        resource.close();
    }

    /** @return the open options of a C {@code fopen} mode, or {@code null} for an unknown mode */
    static Set<StandardOpenOption> fopenOptions(String mode) {
        switch (mode == null ? "" : mode.replace("b", "")) {
            case "r":
                return EnumSet.of(StandardOpenOption.READ);
            case "r+":
                return EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
            case "w":
                return EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            case "w+":
                return EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            case "a":
                return EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            case "a+":
                return EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            default:
                return null;
        }
    }

    /** Options to reopen with: never truncate or insist on creating again what recovery reopens. */
    static Set<OpenOption> reopenOptions(Set<? extends OpenOption> original) {
        Set<OpenOption> options = new HashSet<>(original);
        options.remove(StandardOpenOption.TRUNCATE_EXISTING);
        options.remove(StandardOpenOption.CREATE_NEW);
        return options;
    }
}
