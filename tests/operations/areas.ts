/** Named GraphQL documents used by the tests (and mirrored in the README). */
export const CREATE_DISTRICT = /* GraphQL */ `
  mutation CreateDistrict($input: CreateDistrictInput!) {
    createDistrict(input: $input) { id name code level }
  }
`;
export const CREATE_STREET = /* GraphQL */ `
  mutation CreateStreet($input: CreateStreetInput!) {
    createStreet(input: $input) { id name code district { id name } }
  }
`;
export const CREATE_COMMUNITY = /* GraphQL */ `
  mutation CreateCommunity($input: CreateCommunityInput!) {
    createCommunity(input: $input) { id name code population households street { id } location }
  }
`;
export const CREATE_GRID = /* GraphQL */ `
  mutation CreateGrid($input: CreateGridInput!) {
    createGrid(input: $input) { id name code community { id } }
  }
`;
export const CREATE_BUILDING = /* GraphQL */ `
  mutation CreateBuilding($input: CreateBuildingInput!) {
    createBuilding(input: $input) { id name code floors grid { id } }
  }
`;
export const UPDATE_AREA = /* GraphQL */ `
  mutation UpdateArea($id: ID!, $input: UpdateAreaInput!) {
    updateArea(id: $id, input: $input) { id name code parent { id } ... on Community { population households } }
  }
`;
export const COMMUNITIES = /* GraphQL */ `
  query Communities($first: Int, $after: String, $filter: AreaFilter, $orderBy: AreaOrder) {
    communities(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id name code } }
    }
  }
`;
