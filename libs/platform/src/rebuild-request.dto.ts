// The admin rebuild endpoints of every service that keeps rebuildable read models (SPEC §5) take the same
// body and scope, so they cannot drift apart.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsIn, IsOptional } from 'class-validator';

/** The body of `POST /v1/admin/rebuild`: `{}` or none; any property is refused by name. */
export class RebuildRequestDto {
  // Never accepted: class-validator (forbidUnknownValues) refuses every value of a class without a
  // single rule, so this gives it one; whitelisting then names any property sent.
  @IsOptional()
  @Equals(undefined, { message: 'the body takes no properties' })
  readonly none?: undefined;
}

/** `?scope=all` asks for a platform-wide rebuild (operator only); without it, the caller's tenant. */
export class RebuildScopeQueryDto {
  @ApiPropertyOptional({ enum: ['all'], description: 'all: every tenant (operator role only).' })
  @IsOptional()
  @IsIn(['all'])
  scope?: 'all';
}
