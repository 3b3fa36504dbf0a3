import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { SettlementFault } from '@keel/psp-sim-domain';
import { SettlementAdminService } from './settlement-admin.service';
import { CreateSettlementFaultDto } from './settlement-fault.dto';
import { WriteSettlementFileDto } from './settlement-file.dto';

/** The simulator's settlement controls (not a PSP's), on the main port only. */
@Controller('admin')
export class SettlementAdminController {
  constructor(private readonly admin: SettlementAdminService) {}

  @Get('settlement-faults')
  faults(): SettlementFault[] {
    return this.admin.listFaults();
  }

  @Post('settlement-faults')
  addFault(@Body() fault: CreateSettlementFaultDto): SettlementFault {
    return this.admin.addFault(fault);
  }

  @Delete('settlement-faults')
  @HttpCode(204)
  clearFaults(): void {
    this.admin.clearFaults();
  }

  @Delete('settlement-faults/:id')
  @HttpCode(204)
  removeFault(@Param('id') id: string): void {
    this.admin.removeFault(id);
  }

  @Post('settlement-files')
  async writeFile(@Body() request: WriteSettlementFileDto): Promise<{ path: string }> {
    return { path: await this.admin.writeFile(request.psp, request.date) };
  }
}
