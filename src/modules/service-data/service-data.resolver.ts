import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../common/pagination';
import { NulCheckedPerRecord } from '../../common/validate-args';
import { ResidentGroup } from '../../common/resident-group';
import type { AppContext } from '../../context/context';
import { RequestCategory } from '../category/category.entity';
import { maskToGroups } from './resident-groups';
import { ImportRejection, ImportRun, ImportRunStatus, ServiceItem } from './service-data.entity';
import { ImportRunListArgs, ImportServiceRecordsArgs, ServiceItemListArgs, ServiceStatsInput } from './service-data.inputs';
import { serviceDataService } from './service-data.service';
import { ServiceStats } from './service-data.types';

export const ServiceItemConnection = ConnectionType(ServiceItem, 'ServiceItem');
export const ImportRunConnection = ConnectionType(ImportRun, 'ImportRun');
export const ImportRejectionConnection = ConnectionType(ImportRejection, 'ImportRejection');

@Resolver(() => ServiceItem)
export class ServiceItemResolver {
  @Query(() => ServiceItemConnection, { description: '一门式 service catalogue.' })
  serviceItems(@Args() args: ServiceItemListArgs, @Ctx() ctx: AppContext) {
    return serviceDataService.listItems(ctx, args);
  }

  @Query(() => ServiceStats, { description: 'One-window service and request statistics for an area and period, from the daily roll-ups only.' })
  serviceStats(@Arg('input') input: ServiceStatsInput, @Ctx() ctx: AppContext) {
    return serviceDataService.stats(ctx, input);
  }

  @FieldResolver(() => RequestCategory, { description: 'Its second-level request category.' })
  category(@Root() item: ServiceItem, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(RequestCategory).load(item.category.id);
  }

  @FieldResolver(() => [ResidentGroup], { description: 'The resident groups it usually serves.' })
  residentGroups(@Root() item: ServiceItem) {
    return maskToGroups(item.residentGroupMask);
  }
}

@Resolver(() => ImportRun)
export class ImportRunResolver {
  @Query(() => ImportRunConnection, { description: 'Imports of service records, newest first.' })
  importRuns(@Args() args: ImportRunListArgs, @Ctx() ctx: AppContext) {
    return serviceDataService.listRuns(ctx, args);
  }

  @Mutation(() => ImportRun, { description: 'Imports up to 5,000 service records inline (same rules as a file import); rejected records are listed on the run.' })
  @NulCheckedPerRecord('records')
  importServiceRecords(@Args() args: ImportServiceRecordsArgs, @Ctx() ctx: AppContext) {
    return serviceDataService.importRecords(ctx, args);
  }

  @FieldResolver(() => ImportRunStatus)
  async status(@Root() run: ImportRun, @Ctx() ctx: AppContext) {
    return (await serviceDataService.stateOf(ctx, run)).status;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the run failed or was interrupted (never row content).' })
  async error(@Root() run: ImportRun, @Ctx() ctx: AppContext) {
    return (await serviceDataService.stateOf(ctx, run)).error;
  }

  @FieldResolver(() => ImportRejectionConnection, { description: 'Rejected rows: row number, column, reason.' })
  rejections(@Root() run: ImportRun, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return serviceDataService.listRejections(ctx, run, args);
  }
}
