package dev.clickstream.common;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** common's packages (cli, clickhouse, event, http, kafka, log, profile) depend on each other without a cycle. */
class PackageDependenciesTest {
    @Test
    void the_packages_depend_on_each_other_without_a_cycle() {
        slices().matching("dev.clickstream.common.(*)..").should().beFreeOfCycles()
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.clickstream.common"));
    }
}
