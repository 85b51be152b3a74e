import Testing

@testable import PlatformCore

/// Runs every `SQLDatabaseConformance` check against every `SQLDatabaseFixture`.
@Suite struct SQLDatabaseConformanceTests {
    static let fixtures = SQLDatabaseFixture.allCases

    @Test(arguments: fixtures) func everyValueKindRoundTrips(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.everyValueKindRoundTrips($0) }
    }

    @Test(arguments: fixtures) func migrationsApplyOnceAndReRunningIsANoOp(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.migrationsApplyOnceAndReRunningIsANoOp($0) }
    }

    @Test(arguments: fixtures)
    func aLaterMigrationAppliesOnlyItselfAndOtherModulesListsCoexist(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase {
            try await SQLDatabaseConformance.aLaterMigrationAppliesOnlyItselfAndOtherModulesListsCoexist($0)
        }
    }

    @Test(arguments: fixtures)
    func aFailedMigrationLeavesNothingBehindAndCanBeRetried(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.aFailedMigrationLeavesNothingBehindAndCanBeRetried($0) }
    }

    @Test(arguments: fixtures)
    func invalidOrDuplicateMigrationIdsAreRejectedBeforeAnythingRuns(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase {
            try await SQLDatabaseConformance.invalidOrDuplicateMigrationIdsAreRejectedBeforeAnythingRuns($0)
        }
    }

    @Test(arguments: fixtures) func aTransactionCommitsWhenItsBodyReturns(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.aTransactionCommitsWhenItsBodyReturns($0) }
    }

    @Test(arguments: fixtures) func aTransactionRollsBackWhenItsBodyThrows(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.aTransactionRollsBackWhenItsBodyThrows($0) }
    }

    @Test(.timeLimit(.minutes(1)), arguments: fixtures)
    func aCancelledTransactionRollsBackAndReleasesTheDatabase(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase {
            try await SQLDatabaseConformance.aCancelledTransactionRollsBackAndReleasesTheDatabase($0)
        }
    }

    @Test(arguments: fixtures) func aUniqueViolationSurfacesAsAConstraintError(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.aUniqueViolationSurfacesAsAConstraintError($0) }
    }

    @Test(arguments: fixtures)
    func foreignKeyNotNullAndCheckViolationsAreConstraintErrorsOfTheirKind(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase {
            try await SQLDatabaseConformance.foreignKeyNotNullAndCheckViolationsAreConstraintErrorsOfTheirKind($0)
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: fixtures)
    func concurrentWritersFromManyTasksAllLand(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.concurrentWritersFromManyTasksAllLand($0) }
    }

    @Test(.timeLimit(.minutes(1)), arguments: fixtures)
    func readersNeverSeeHalfATransaction(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.readersNeverSeeHalfATransaction($0) }
    }

    @Test(.timeLimit(.minutes(1)), arguments: fixtures)
    func usingTheDatabaseInsideItsOwnTransactionIsAnErrorNotADeadlock(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase {
            try await SQLDatabaseConformance.usingTheDatabaseInsideItsOwnTransactionIsAnErrorNotADeadlock($0)
        }
    }

    @Test(arguments: fixtures)
    func aTransactionHandleUsedAfterItsTransactionIsRejected(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase {
            try await SQLDatabaseConformance.aTransactionHandleUsedAfterItsTransactionIsRejected($0)
        }
    }

    @Test(arguments: fixtures) func executeReturnsTheNumberOfChangedRows(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.executeReturnsTheNumberOfChangedRows($0) }
    }

    @Test(arguments: fixtures) func rowAccessorsNameTheColumnWhenTheyFail(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.rowAccessorsNameTheColumnWhenTheyFail($0) }
    }

    @Test(arguments: fixtures)
    func queryOneThrowsNotFoundAndQueryFirstReturnsNil(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.queryOneThrowsNotFoundAndQueryFirstReturnsNil($0) }
    }

    @Test(arguments: fixtures)
    func invalidStatementsAreReportedWithTheDriversMessage(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.invalidStatementsAreReportedWithTheDriversMessage($0) }
    }

    @Test(arguments: fixtures)
    func questionMarksInsideLiteralsAreNotPlaceholders(_ fixture: SQLDatabaseFixture) async throws {
        try await fixture.withDatabase { try await SQLDatabaseConformance.questionMarksInsideLiteralsAreNotPlaceholders($0) }
    }
}
