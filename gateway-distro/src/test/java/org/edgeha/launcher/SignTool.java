package org.edgeha.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operators' command the way they do, {@code java -jar edgeha-gateway.jar sign ...}, in a working folder,
 * and gives back its status and its standard output and error apart.
 */
final class SignTool {

    record Result(int status, String out, String err) {
    }

    private SignTool() {
    }

    /** Blocks until the command ends (at most 60 s). */
    static Result run(Path workingFolder, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(GatewayProcess.jar().toString());
        command.add("sign");
        command.addAll(List.of(args));
        Path out = Files.createTempFile("sign-", ".out");
        Path err = Files.createTempFile("sign-", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(workingFolder.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("sign " + List.of(args) + " did not end within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs a command that must succeed. */
    static Result ok(Path workingFolder, String... args) throws IOException, InterruptedException {
        Result result = run(workingFolder, args);
        if (result.status() != 0) {
            throw new AssertionError("sign " + List.of(args) + " failed: " + result);
        }
        return result;
    }
}
