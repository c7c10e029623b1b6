package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class EventAdminStopNoiseTest {

    @Test
    public void onlyEventAdminsInterruptedWarningIsLeftOut() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new EventAdminStopNoise(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out.println("EdgeHA gateway stopping");
        out.println("WARNING: EventAdmin: Event Task Processing Interrupted. Events may not be received in proper order.");
        out.println("WARNING: EventAdmin: Blacklisting ServiceReference [x] due to timeout!");
        out.print("g! ");
        out.println("EdgeHA gateway stopped");
        assertEquals("EdgeHA gateway stopping\nWARNING: EventAdmin: Blacklisting ServiceReference [x] due to timeout!\n"
                + "g! EdgeHA gateway stopped\n", bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
