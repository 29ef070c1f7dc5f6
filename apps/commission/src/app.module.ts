import { Module } from '@nestjs/common';
import { AuditModule, PlatformModule, ServiceDefinition } from '@pacer/platform';
import { CommissionInputConsumer } from './consumers/commission-input.consumer';
import { GovernanceController } from './governance/governance.controller';
import { AdjustmentsService } from './governance/adjustments.service';
import { ApprovalsService } from './governance/approvals.service';
import { DealApprovalsService } from './governance/deal-approvals.service';
import { GovernanceLists } from './governance/governance-lists.service';
import { PeriodCloseService } from './governance/period-close.service';
import { Recalculator } from './ledger/recalculator';
import { MIGRATIONS } from './migrations';
import { PlansController } from './plans/plans.controller';
import { PlansService } from './plans/plans.service';
import { RepsController } from './plans/reps.controller';
import { AccessPolicy } from './statements/access-policy.service';
import { StatementsController } from './statements/statements.controller';
import { StatementsService } from './statements/statements.service';

@Module({
  imports: [AuditModule],
  // Governance first: its `statements/:periodKey.csv` route must be matched before the JSON statement's.
  controllers: [GovernanceController, PlansController, RepsController, StatementsController],
  providers: [
    Recalculator,
    PlansService,
    StatementsService,
    PeriodCloseService,
    ApprovalsService,
    AdjustmentsService,
    DealApprovalsService,
    GovernanceLists,
    AccessPolicy,
    CommissionInputConsumer,
  ],
})
export class CommissionModule {}

/** Pacer commission: commission plans, quotas and statements with every cent explained. */
export const CommissionService: ServiceDefinition = {
  service: 'commission',
  title: 'Pacer commission',
  description: 'commission plans, quotas and statements with every cent explained.',
  module: (config, logger) => ({
    module: CommissionModule,
    imports: [PlatformModule.forService({ service: 'commission', migrations: MIGRATIONS }, config, logger)],
  }),
};
