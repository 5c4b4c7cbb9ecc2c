package org.paneld.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The protocol module's floor: the wire format and the Java client know no driver and no daemon. */
@AnalyzeClasses(packages = "org.paneld.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleFloorTest {

    @ArchTest
    static final ArchRule protocol_never_imports_drivers_or_daemon = noClasses()
            .that().resideInAPackage("org.paneld.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("org.paneld.drivers..", "org.paneld.daemon..")
            .because("clients link the protocol module alone; it must not drag the drivers or the daemon in");
}
