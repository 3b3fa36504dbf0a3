import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { Fault } from '@keel/psp-sim-domain';
import { AdminService } from './admin.service';
import type { ChargeView } from './charge-view';
import { ChargesQueryDto } from './charges-query.dto';
import { CreateFaultDto } from './fault.dto';

/** The simulator's own API (not a PSP's), on the main port only. */
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('charges')
  charges(@Query() query: ChargesQueryDto): ChargeView[] {
    return this.admin.listCharges(query);
  }

  @Get('faults')
  faults(): Fault[] {
    return this.admin.listFaults();
  }

  @Post('faults')
  async addFault(@Body() fault: CreateFaultDto): Promise<{ id: string }> {
    const { id } = await this.admin.addFault(fault);
    return { id };
  }

  @Delete('faults')
  @HttpCode(204)
  async clearFaults(): Promise<void> {
    await this.admin.clearFaults();
  }

  @Delete('faults/:id')
  @HttpCode(204)
  async removeFault(@Param('id') id: string): Promise<void> {
    await this.admin.removeFault(id);
  }

  @Post('reset')
  @HttpCode(204)
  async reset(): Promise<void> {
    await this.admin.reset();
  }
}
