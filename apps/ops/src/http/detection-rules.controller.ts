import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { OperatorAccess, OperatorAudited, type OperatorRequest } from '@keel/operator-auth';
import type { DetectionRule } from '@keel/ops-domain';
import type { StoredRuleSet } from '../detection/detection-rule.repository';
import { DetectionRules } from '../detection/detection-rules.service';
import { DetectionRulesBody } from './ops.dto';
import { actorOf } from './operator-actor.util';

/** The detection rules in force: viewers read them, operators replace them (audited). */
@ApiTags('ops detection rules')
@Controller('v1/ops/rules')
export class DetectionRulesController {
  constructor(private readonly rules: DetectionRules) {}

  @Get()
  @OperatorAccess('viewer')
  @ApiOperation({ summary: 'The detection rules in force, who set them and when' })
  current(): Promise<StoredRuleSet> {
    return this.rules.current();
  }

  @Put()
  @OperatorAccess('operator')
  @OperatorAudited('ops_rules.replace', () => 'detection-rules')
  @ApiOperation({ summary: 'Replaces the rule set; every ops instance applies it at its next detection run' })
  @ApiUnprocessableEntityResponse({
    description:
      'problem+json of type https://keel.dev/problems/invalid-detection-rules, listing every problem',
  })
  replace(@Body() body: DetectionRulesBody, @Req() request: OperatorRequest): Promise<StoredRuleSet> {
    // ruleProblems judges kinds, levels and responses by value, so the DTO's strings pass through.
    return this.rules.replace(body.rules as DetectionRule[], actorOf(request));
  }
}
