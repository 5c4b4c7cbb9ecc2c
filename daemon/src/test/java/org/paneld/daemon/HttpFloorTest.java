package org.paneld.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where {@code org.paneld.daemon.http} sits: on top of the server and the sessions, beside the
 * daemon's root package that wires it; it reads panels through {@code PanelDirectory} only.
 */
class HttpFloorTest {
    /** The daemon module's own classes, read from target/classes (scanning the test class path takes seconds). */
    static JavaClasses daemon;

    @BeforeAll
    static void importClasses() {
        com.tngtech.archunit.ArchConfiguration cfg = com.tngtech.archunit.ArchConfiguration.get();
        boolean resolve = cfg.resolveMissingDependenciesFromClassPath();
        cfg.setResolveMissingDependenciesFromClassPath(false); // the rules need only the names of other classes
        try {
            daemon = new ClassFileImporter().importPath(Path.of("target", "classes"));
        } finally {
            cfg.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    @Test
    void theRulesHold() {
        the_server_sessions_and_config_know_no_http.check(daemon);
        http_reads_panels_through_its_directory_not_drivers.check(daemon);
        only_http_speaks_prometheus.check(daemon);
    }

    static final ArchRule the_server_sessions_and_config_know_no_http = noClasses()
            .that().resideInAnyPackage("org.paneld.daemon.server..", "org.paneld.daemon.session..", "org.paneld.daemon.config..",
                    "org.paneld.daemon.ctl..")
            .should().dependOnClassesThat().resideInAPackage("org.paneld.daemon.http..")
            .because("[http] is optional: the socket server must run the same without it");

    static final ArchRule http_reads_panels_through_its_directory_not_drivers = noClasses()
            .that().resideInAPackage("org.paneld.daemon.http..")
            .should().dependOnClassesThat().resideInAnyPackage("org.paneld.drivers.mipidbi..", "org.paneld.drivers.gud..",
                    "org.paneld.drivers.spi..", "org.paneld.drivers.usb..", "org.paneld.drivers.virtual..", "org.paneld.drivers.repaper..",
                    "org.paneld.drivers.st7586..")
            .because("what a panel shows is decided in one place (PanelDirectory, LiveSource), re-pointable");

    static final ArchRule only_http_speaks_prometheus = noClasses()
            .that().resideOutsideOfPackage("org.paneld.daemon.http..")
            .should().dependOnClassesThat().resideInAnyPackage("io.prometheus..", "io.netty.handler.codec.http..")
            .because("the metrics client and the HTTP codec are the [http] endpoint's, nobody else's");
}
