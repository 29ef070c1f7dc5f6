import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsFreeText } from '@pacer/http';

/** The paging every commission list takes: up to `limit` rows after the opaque `cursor` of the page before. */
export class PageQueryDto {
  @ApiPropertyOptional({ example: '100', description: '1 to 1000, default 100.' })
  @Matches(/^([1-9]\d{0,2}|1000)$/, { message: 'limit must be an integer from 1 to 1000' })
  @IsOptional()
  limit?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsFreeText({ max: 1000 })
  @IsOptional()
  cursor?: string;
}
