package org.paneld.drivers.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The floors of the drivers module (DESIGN.md; issue 11), as rules over the compiled main classes:
 * {@code pixel} knows nothing of ours, {@code display} only {@code pixel}, {@code core} only
 * {@code pixel}/{@code display}; the buses ({@code spi}, {@code usb}) only those three, the input
 * buses ({@code input}: I2C, touch wiring) those and {@code spi}; the chip drivers only buses and
 * the floors below, never an emulator or another chip driver — except that a panel driver
 * ({@code mipidbi}) opens the touch controller on its board ({@code touch}); the emulators
 * ({@code virtual}) never a chip driver; nothing here knows {@code protocol} or
 * {@code daemon}. A violation fails {@code mvn verify} naming the class, the dependency and the
 * line. Drivers and emulators meet only through {@code core.VirtualHardwareRegistry}.
 */
@AnalyzeClasses(packages = "org.paneld.drivers", importOptions = ImportOption.DoNotIncludeTests.class)
class FloorsTest {
    private static final String P = "org.paneld.drivers.";
    private static final String[] CHIP_DRIVERS = {P + "mipidbi..", P + "st7586..", P + "repaper..", P + "gud..",
            P + "touch.."};

    /** No class of {@code pkg} depends on a class of ours outside {@code pkg} and {@code allowed}. */
    private static ArchRule onlyUses(String pkg, String because, String... allowed) {
        String[] own = Arrays.copyOf(allowed, allowed.length + 1);
        own[allowed.length] = P + pkg + "..";
        return noClasses().that().resideInAPackage(P + pkg + "..")
                .should().dependOnClassesThat(resideInAPackage("org.paneld..").and(resideOutsideOfPackages(own))
                        .as("are ours but outside " + String.join(", ", own)))
                .because(because);
    }

    @ArchTest
    static final ArchRule pixel_imports_nothing_of_ours =
            onlyUses("pixel", "pixel formats and conversions are the ground floor");

    @ArchTest
    static final ArchRule display_imports_only_pixel =
            onlyUses("display", "the display functions speak only in pixels", P + "pixel..");

    @ArchTest
    static final ArchRule core_imports_only_pixel_and_display =
            onlyUses("core", "the lifecycle core knows no bus, chip or emulator", P + "pixel..", P + "display..");

    @ArchTest
    static final ArchRule spi_imports_only_core_pixel_display =
            onlyUses("spi", "a bus serves every chip driver and every emulator and knows none of them",
                    P + "core..", P + "pixel..", P + "display..");

    @ArchTest
    static final ArchRule usb_imports_only_core_pixel_display =
            onlyUses("usb", "a bus serves every chip driver and every emulator and knows none of them",
                    P + "core..", P + "pixel..", P + "display..");

    @ArchTest
    static final ArchRule input_imports_only_spi_core_pixel_display =
            onlyUses("input", "the input buses (I2C, touch wiring) serve every touch driver and emulator and know none of them",
                    P + "spi..", P + "core..", P + "pixel..", P + "display..");

    private static ArchRule chipDriver(String pkg) {
        return onlyUses(pkg, "a chip driver must not know its emulator (the referee) or another chip driver;"
                        + " it finds virtual wires through core.VirtualHardwareRegistry",
                P + "spi..", P + "usb..", P + "input..", P + "core..", P + "pixel..", P + "display..");
    }

    /** Panel drivers with a touch controller on their board: the touch drivers are a resource of their binding. */
    private static ArchRule panelDriverWithTouch(String pkg) {
        return onlyUses(pkg, "a panel driver must not know its emulator or another panel's driver; the touch"
                        + " controller on its board is the one chip driver it may open (a resource of its binding)",
                P + "spi..", P + "usb..", P + "input..", P + "touch..", P + "core..", P + "pixel..", P + "display..");
    }

    @ArchTest
    static final ArchRule mipidbi_imports_only_buses_touch_and_floors = panelDriverWithTouch("mipidbi");

    @ArchTest
    static final ArchRule touch_imports_only_buses_and_floors = chipDriver("touch");

    @ArchTest
    static final ArchRule st7586_imports_only_buses_and_floors = chipDriver("st7586");

    @ArchTest
    static final ArchRule repaper_imports_only_buses_and_floors = chipDriver("repaper");

    @ArchTest
    static final ArchRule gud_imports_only_buses_and_floors = chipDriver("gud");

    @ArchTest
    static final ArchRule emulators_never_import_chip_drivers = noClasses()
            .that().resideInAPackage(P + "virtual..")
            .should().dependOnClassesThat().resideInAnyPackage(CHIP_DRIVERS)
            .because("an emulator is an independent referee, written from the datasheet: sharing the driver's"
                    + " code would let one misunderstanding pass on both sides");

    @ArchTest
    static final ArchRule drivers_never_import_protocol_or_daemon = noClasses()
            .that().resideInAPackage("org.paneld.drivers..")
            .should().dependOnClassesThat().resideInAnyPackage("org.paneld.protocol..", "org.paneld.daemon..")
            .because("the drivers module sits below the wire protocol and the daemon");

    @ArchTest
    static final ArchRule driver_packages_are_free_of_cycles =
            slices().matching("org.paneld.drivers.(*)..").should().beFreeOfCycles();
}
