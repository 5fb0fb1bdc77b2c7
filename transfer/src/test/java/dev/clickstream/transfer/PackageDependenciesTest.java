package dev.clickstream.transfer;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The transfer's packages as transfer/DESIGN.md draws them: layers that only look down, and the delivery loop
 * behind its two ports. A new import that breaks either fails here, with the classes that make the cycle.
 */
class PackageDependenciesTest {
    private static final String ROOT = "dev.clickstream.transfer";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void the_packages_depend_on_each_other_without_a_cycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void only_the_command_and_its_wiring_use_the_root_package() {
        noClasses().that().resideOutsideOfPackage(ROOT).should().dependOnClassesThat().resideInAPackage(ROOT)
                .check(MAIN);
    }

    @Test
    void the_delivery_loop_reaches_kafka_and_clickhouse_only_through_its_ports() {
        noClasses().that().resideInAPackage(ROOT + ".delivery..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".sink..", ROOT + ".offsets..", ROOT + ".destination..", ROOT + ".replica..",
                        ROOT + ".shard..", "dev.clickstream.common.clickhouse..", "dev.clickstream.common.kafka..")
                .orShould().dependOnClassesThat().haveSimpleName("KafkaSource")
                .check(MAIN);
    }

    @Test
    void the_root_package_holds_at_most_six_files() {
        classes().that().resideInAPackage(ROOT).and().areTopLevelClasses().should()
                .haveSimpleNameNotContaining("$").check(MAIN);
        long files = MAIN.stream().filter(c -> c.getPackageName().equals(ROOT) && c.isTopLevelClass()).count();
        org.junit.jupiter.api.Assertions.assertTrue(files <= 6, files + " classes in " + ROOT
                + ": it keeps the command and the wiring, the rest has a package of its own");
    }
}
