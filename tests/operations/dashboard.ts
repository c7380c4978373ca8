/** The dashboard's community overview: the query the batching test counts statements for. */
export const COMMUNITY_OVERVIEW = /* GraphQL */ `
  query CommunityOverview($first: Int!) {
    communities(first: $first) {
      totalCount
      edges {
        node {
          id
          name
          population
          gridCount
          unitCount
          pairedUnitCount
          partyMemberCount
          street { name }
          grids(first: 100) { totalCount edges { node { name buildingCount workerCount } } }
          units(first: 10) { totalCount edges { node { name kind contactPhone } } }
          alliance {
            name
            model
            memberCount
            members(first: 50) { edges { node { role seatTitle unit { name kind } seatHolder { name phone } } } }
          }
        }
      }
    }
  }
`;
